"""The fault that proves an alert end to end, declared beside the alert.

``pfm-dash verify`` switches the fault on in the simulated system, expects the alert to fire
in a real Prometheus and reach its team through a real Alertmanager, then switches it off and
expects it to resolve. Declaring it on the alert means a new alert cannot skip the proof.
"""

from __future__ import annotations

from pfm_dash.errors import Location
from pfm_dash.model.base import LOCATION, declaration, fail
from pfm_dash.model.simulation import Fault


@declaration
class Scenario:
    """Switch ``fault`` on and the alert must fire and reach the receiver its routing names.

    ``time_scale`` says how many times faster than real time verify runs this rule: its ``for``
    and every range window of its expression are divided by it in the run's copy of the rules
    (what is shipped is unchanged). Leave it ``None`` for verify's default; raise it for rules
    whose windows are long (an hour of silence cannot be waited for in a test).
    """

    fault: Fault
    time_scale: int | None = None
    location: Location = LOCATION

    def __post_init__(self) -> None:
        if not isinstance(self.fault, Fault):
            raise fail(
                self.location,
                f"scenario fault must be a Fault, not {self.fault!r}",
                "declare it, e.g. Fault(name='cache-misses', changes=[...]), and pass it",
            )
        if self.time_scale is not None and (
            not isinstance(self.time_scale, int) or not 1 <= self.time_scale <= 3600
        ):
            raise fail(
                self.location,
                f"scenario time_scale must be an int from 1 to 3600, not {self.time_scale!r}",
                "e.g. time_scale=240 runs a 1h window in 15s",
            )
