"""What the revenue app tells the outside world about a revenue project (webhook event data)."""

from partnership.links import absolute_url
from partnership.payloads import unit_refs

from .models import RevenueProject


def revenue_project_payload(project: RevenueProject, *, previous_stage: str) -> dict:
    """The `data` of the revenue_project.stage_changed webhook event (JSON-safe values)."""
    return {
        "id": project.pk,
        "name": project.name,
        "category": project.category,
        "stage": project.stage,
        "previous_stage": previous_stage,
        "stage_changed_on": project.stage_changed_on.isoformat(),
        "executed_on": project.executed_on.isoformat() if project.executed_on else None,
        "abandoned_reason": project.abandoned_reason,
        "business_units": unit_refs(project.business_units.all()),
        "expected_yearly_revenue": str(project.expected_yearly_revenue),
        "url": absolute_url(project),
    }
