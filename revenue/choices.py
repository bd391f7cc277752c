"""Choices of the revenue app."""

from django.db import models


class Category(models.TextChoices):
    PAYMENT_METHOD = "payment_method", "Payment method"
    CUSTOMER_LOYALTY = "customer_loyalty", "Customer loyalty"
    DIGITAL_PRODUCT = "digital_product", "Digital product"
    DATA_PRODUCT = "data_product", "Data product"
    OTHER = "other", "Other"


class Stage(models.TextChoices):
    IDENTIFY = "identify", "Identify"
    DEVELOP = "develop", "Develop"
    ACCEPTANCE = "acceptance", "Acceptance"
    EXECUTE = "execute", "Execute"
    SUPPORT = "support", "Support"
    ABANDONED = "abandoned", "Abandoned"


# The path every project walks, one stage at a time; "abandoned" can be reached from any of them.
STAGE_ORDER = (Stage.IDENTIFY, Stage.DEVELOP, Stage.ACCEPTANCE, Stage.EXECUTE, Stage.SUPPORT)


def next_stage(stage: str) -> str | None:
    """The stage after `stage`, or None at the end of the path (support, abandoned)."""
    if stage not in STAGE_ORDER:
        return None
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


class CommitmentStatus(models.TextChoices):
    MET = "met", "Met"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    MISSED = "missed", "Missed"
