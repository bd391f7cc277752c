"""Choices of the extra-mile feature."""

from django.db import models


class ActionKind(models.TextChoices):
    EXTRA_ANALYSIS = "extra_analysis", "Extra analysis"
    LONGER_DATA_PERIOD = "longer_data_period", "Longer data period"
    POST_DOWNTIME_CHECK = "post_downtime_check", "Post-downtime check"
    MANUAL_FAQ = "manual_faq", "Manual or FAQ"
    TRAINING = "training", "Training"
    OTHER = "other", "Other"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    DONE = "done", "Done"


class CheckInStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    OK = "ok", "Running correctly"
    PROBLEM = "problem", "Problem reported"


class SuggestionTrigger(models.TextChoices):
    RESOLVED_CLUSTER = "resolved_cluster", "Repeated resolved pain points"
    VOTES = "votes", "Many votes on one pain point"


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class SurveyRole(models.TextChoices):
    SUBMITTER = "submitter", "Submitter"
    VOTER = "voter", "Voter"


# What a repeated-problem suggestion may turn into.
PROPOSAL_KINDS = (ActionKind.MANUAL_FAQ, ActionKind.TRAINING)
PROPOSAL_KIND_CHOICES = [(kind.value, kind.label) for kind in PROPOSAL_KINDS]

# The models an extra-mile action may name as its subject ("app_label.model").
SUBJECT_MODELS = {
    "listening.painpoint": "Pain point",
    "initiatives.initiative": "Initiative",
    "revenue.revenueproject": "Revenue project",
}
