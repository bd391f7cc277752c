from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = "Partnership"

    def ready(self):
        from . import security  # noqa: F401  (connects the login signal receivers)
        from .celery import ensure_broker_folders
        from .roles import sync_role_permissions

        ensure_broker_folders()
        from .api import fields

        fields.install()
        post_migrate.connect(sync_role_permissions, dispatch_uid="portal-role-permissions")
