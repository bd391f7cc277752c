from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = "Partnership"

    def ready(self):
        from .api import fields
        from .celery import ensure_broker_folders
        from .roles import sync_role_permissions
        from .security import connect_receivers

        connect_receivers()
        ensure_broker_folders()
        fields.install()
        post_migrate.connect(sync_role_permissions, dispatch_uid="portal-role-permissions")
