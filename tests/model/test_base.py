"""How declarations are made: arguments are bound by walking the fields until a class has been
made often enough to compile its ``__init__``, and both ways give the same objects and errors."""

from __future__ import annotations

from dataclasses import field

import pytest

from pfm_dash.errors import Location
from pfm_dash.model.base import COMPILE_AFTER, LOCATION, declaration, record


@declaration
class Box:
    """A declaration with every kind of field: required, defaulted, made by a factory."""

    name: str
    size: int = 1
    tags: tuple[str, ...] = field(default_factory=tuple)
    location: Location = LOCATION


@record
class Pair:
    """A record: positional arguments allowed."""

    left: int
    right: int = 0


def _calls(make: object) -> list[object]:
    """The result of ``make()``, or the TypeError's text, once per tier."""
    out: list[object] = []
    for _ in range(2):
        try:
            out.append(make())  # type: ignore[operator]
        except TypeError as exc:
            out.append(str(exc))
    return out


def _compiled(cls: type) -> bool:
    return cls.__init__.__code__.co_filename == "<string>"


def test_the_walking_and_the_compiled_init_make_the_same_objects_and_errors() -> None:
    wrong_calls = [
        lambda: Box(),  # type: ignore[call-arg]
        lambda: Box("x"),  # type: ignore[misc]
        lambda: Box(name="x", colour="red"),  # type: ignore[call-arg]
        lambda: Box(name="x", location=None),  # type: ignore[call-arg]
        lambda: Pair(),  # type: ignore[call-arg]
        lambda: Pair(1, 2, 3),  # type: ignore[call-arg]
        lambda: Pair(1, left=2),  # type: ignore[misc]
        lambda: Pair(1, other=2),  # type: ignore[call-arg]
    ]
    right_calls = [
        lambda: Box(name="x"),
        lambda: Box(name="x", size=3, tags=("a",)),
        lambda: Pair(1),
        lambda: Pair(1, 2),
        lambda: Pair(1, right=2),
        lambda: Pair(left=1, right=2),
    ]
    assert not _compiled(Box) and not _compiled(Pair)
    walked = [make() for make in right_calls]
    walked_errors = []
    for make in wrong_calls:
        with pytest.raises(TypeError) as caught:
            make()
        walked_errors.append(str(caught.value))
    # A wrong call is answered by the compiled __init__: Python's own words.
    assert walked_errors[:4] == [
        "Box.__init__() missing 1 required keyword-only argument: 'name'",
        "Box.__init__() takes 1 positional argument but 2 were given",
        "Box.__init__() got an unexpected keyword argument 'colour'",
        "Box.__init__() got an unexpected keyword argument 'location'",
    ]
    assert "got multiple values for argument 'left'" in walked_errors[6]
    for _ in range(COMPILE_AFTER + 1):
        Box(name="y")
        Pair(5)
    assert _compiled(Box) and _compiled(Pair)
    assert [make() for make in right_calls] == walked
    compiled_errors = []
    for make in wrong_calls:
        with pytest.raises(TypeError) as caught:
            make()
        compiled_errors.append(str(caught.value))
    assert compiled_errors == walked_errors
    first = walked[1]
    assert isinstance(first, Box) and (first.size, first.tags) == (3, ("a",))
    assert first.location.line > 0 and first.location.file == __file__


def test_each_object_made_by_a_factory_is_its_own() -> None:
    made = [Box(name="a") for _ in range(3)]
    assert all(box.tags == () for box in made)
    locations = {box.location.line for box in made}
    assert len(locations) == 1 and locations != {0}


def test_the_type_checks_run_in_both_tiers() -> None:
    from pfm_dash.errors import DeclarationError

    for _ in range(COMPILE_AFTER + 2):
        with pytest.raises(DeclarationError, match=r"Box\(size=\.\.\.\) must be an int"):
            Box(name="x", size="big")  # type: ignore[arg-type]
