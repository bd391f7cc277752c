"""Choices of the steering app."""

from django.db import models


class Topic(models.TextChoices):
    """What a committee steers, and what a decision is about."""

    TECHNOLOGY_FRAMEWORK = "technology_framework", "Technology framework"
    BYOD = "byod", "BYOD"
    OUTSOURCING = "outsourcing", "Outsourcing"
    INFORMATION_SECURITY = "information_security", "Information security"
    DATA = "data", "Data"
    OTHER = "other", "Other"


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    AD_HOC = "ad_hoc", "When needed"


class Side(models.TextChoices):
    IT = "it", "IT"
    BUSINESS = "business", "Business"


class MemberRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    MEMBER = "member", "Member"
    OBSERVER = "observer", "Observer"


VOTING_ROLES = (MemberRole.CHAIR, MemberRole.MEMBER)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    EXCUSED = "excused", "Excused"
    ABSENT = "absent", "Absent"


class Stance(models.TextChoices):
    SUPPORT = "support", "Support"
    SUPPORT_WITH_CONCERNS = "support_with_concerns", "Support with concerns"
    OPPOSE = "oppose", "Oppose"
    ABSTAIN = "abstain", "Abstain"


SUPPORTING_STANCES = (Stance.SUPPORT, Stance.SUPPORT_WITH_CONCERNS)
# Dissent stays visible: these stances are highlighted wherever positions are listed.
DISSENTING_STANCES = (Stance.SUPPORT_WITH_CONCERNS, Stance.OPPOSE)


class DecisionStatus(models.TextChoices):
    OPEN = "open", "Open for positions"
    CLOSED = "closed", "Closed"


class EventKind(models.TextChoices):
    OPEN_DAY = "open_day", "IT open day"
    WORKSHOP = "workshop", "Creative workshop"
    INFORMAL = "informal", "Informal meeting"
    TRAINING = "training", "Training"
