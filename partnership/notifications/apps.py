from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The inbox, the reminder ledger with its sweep, sender and digest, and the preferences."""

    name = "partnership.notifications"
    label = "notifications"
    verbose_name = "Notifications and reminders"

    def ready(self):
        from ..declarations import declared
        from .registry import register

        for kind in declared("reminders", "REMINDER_KINDS"):
            register(kind)
