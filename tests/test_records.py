"""Records: dataclasses to everyone, made without importing dataclasses. Arguments are bound
by walking the fields until a class has been made often enough to compile its ``__init__``,
and both ways give the same objects and errors."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import subprocess
import sys

import pytest
from conftest import ROOT

from pfm_dash.errors import Location
from pfm_dash.model.base import LOCATION, declaration
from pfm_dash.records import COMPILE_AFTER, field, fields, record, replace


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


@declaration
class Base:
    """Fields inherited first, in their order; an override keeps its place."""

    a: int = 1
    b: str = "b"
    location: Location = LOCATION


@declaration
class Derived(Base):
    """Adds a field and overrides one."""

    c: float = 0.5
    a: int = 2


def test_fields_are_collected_as_dataclasses_collects_them() -> None:
    assert [f.name for f in fields(Derived)] == ["a", "b", "location", "c"]
    assert [f.name for f in dataclasses.fields(Derived)] == ["a", "b", "location", "c"]
    made = Derived()
    assert (made.a, made.b, made.c) == (2, "b", 0.5)
    assert not hasattr(made, "__dict__")  # slotted
    assert Base.__init__ is not Derived.__init__


def test_to_dataclasses_a_record_is_a_dataclass() -> None:
    box = Box(name="x", size=2, tags=("t",))
    assert dataclasses.is_dataclass(box) and dataclasses.is_dataclass(Pair)
    assert [(f.name, f.kw_only) for f in dataclasses.fields(Pair)] == [
        ("left", False),
        ("right", False),
    ]
    copy_ = dataclasses.replace(box, size=3)
    assert (copy_.name, copy_.size, copy_.tags) == ("x", 3, ("t",))
    assert copy_.location.line != box.location.line  # the copy knows where it was made
    assert replace(box, size=3) == copy_
    assert dataclasses.asdict(Pair(1, 2)) == {"left": 1, "right": 2}
    with pytest.raises(ValueError, match="init=False"):
        dataclasses.replace(box, location=box.location)  # type: ignore[call-arg]
    with pytest.raises(dataclasses.FrozenInstanceError):
        box.size = 4  # type: ignore[misc]
    assert copy.deepcopy(box) == box and pickle.loads(pickle.dumps(box)) == box
    assert repr(Pair(1, 2)) == "Pair(left=1, right=2)"
    assert Pair(1, 2) == Pair(1, 2) and hash(Pair(1, 2)) == hash(Pair(1, 2))
    assert Pair.__match_args__ == ("left", "right") and Box.__match_args__ == ()


def test_a_mutable_default_is_refused_as_dataclasses_refuses_it() -> None:
    with pytest.raises(ValueError, match="mutable default <class 'list'> for field items"):

        @record
        class Bad:
            items: list[int] = []  # noqa: RUF012

    @record
    class Good:
        items: list[int] = field(default_factory=list)

    assert Good().items == [] and Good().items is not Good().items


def test_a_build_processes_no_class_with_dataclasses() -> None:
    """orjson imports dataclasses, but no record of a build is made by it: dataclasses'
    own processing (~100 µs a class) is left to whoever asks for the fields."""
    code = (
        "import dataclasses, sys\n"
        "made = []\n"
        "real = dataclasses.dataclass\n"
        "def spy(*args, **kwargs):\n"
        "    made.append(args[0] if args else kwargs)\n"
        "    return real(*args, **kwargs)\n"
        "dataclasses.dataclass = spy\n"
        "from pfm_dash.cli import main\n"
        "try:\n    main(['build', '--check', '--no-cache'])\n"
        "except SystemExit as e: assert not e.code, e.code\n"
        "print(made)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "[]"
