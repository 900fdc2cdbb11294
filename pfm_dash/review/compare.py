"""Two loaded projects in, one :class:`Review` out."""

from __future__ import annotations

from pfm_dash.project import Project
from pfm_dash.review.changes import Review
from pfm_dash.review.dashboards import compare_dashboards
from pfm_dash.review.routing import compare_routing
from pfm_dash.review.rules import compare_groups


def compare_projects(
    before: Project, after: Project, *, base: str, base_commit: str, target: str
) -> Review:
    """Dashboards, then rule groups, then routing, as a reviewer reads them."""
    review = Review(base=base, base_commit=base_commit, target=target)
    review.sections.extend(compare_dashboards(before.dashboards, after.dashboards))
    review.sections.extend(compare_groups(before.groups, after.groups))
    review.sections.extend(compare_routing(before, after))
    return review
