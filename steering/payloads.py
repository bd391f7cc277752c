"""What the steering app tells the outside world about a decision (webhook event data)."""

from partnership.links import absolute_url

from .models import Decision


def decision_payload(decision: Decision) -> dict:
    """The `data` of the decision.closed webhook event (JSON-safe values)."""
    counts = Decision.objects.with_buy_in().values("business_positions", "business_support", "has_buy_in").get(
        pk=decision.pk
    )
    return {
        "id": decision.pk,
        "title": decision.title,
        "committee": {"id": decision.committee_id, "name": decision.committee.name},
        "topic": decision.topic,
        "status": decision.status,
        "outcome": decision.outcome,
        "decided_at": decision.decided_at.isoformat() if decision.decided_at else None,
        "review_date": decision.review_date.isoformat() if decision.review_date else None,
        "business_positions": counts["business_positions"],
        "business_support": counts["business_support"],
        "business_buy_in": counts["has_buy_in"] if counts["business_positions"] else None,
        "url": absolute_url(decision),
    }
