"""The role groups' model permissions come from one table (partnership/roles.py) covering every app."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from partnership.roles import PERMISSION_TABLE, PORTAL_APPS, Role, role_permissions

pytestmark = pytest.mark.django_db

EVERY_PORTAL_APP = {
    "partnership", "notifications", "score", "integrations", "extramile", "listening", "initiatives", "revenue", "steering",
}


def _held(group_name: str) -> set[tuple[str, str]]:
    return set(Group.objects.get(name=group_name).permissions.values_list("content_type__app_label", "codename"))


def test_every_model_of_every_portal_app_has_a_row_in_the_table():
    assert set(PORTAL_APPS) == EVERY_PORTAL_APP
    models = {
        f"{model._meta.app_label}.{model._meta.model_name}"
        for label in EVERY_PORTAL_APP
        for model in apps.get_app_config(label).get_models()
    }
    assert models - set(PERMISSION_TABLE) == set(), "give the new models their role permissions in roles.py"
    assert set(PERMISSION_TABLE) - models == set(), "the table names models that do not exist"


def test_every_permission_the_table_names_exists():
    existing = set(Permission.objects.values_list("content_type__app_label", "codename"))
    for role, keys in role_permissions().items():
        assert keys - existing == set(), role


def test_after_migrate_each_role_holds_exactly_the_permissions_of_its_table():
    for role, keys in role_permissions().items():
        assert _held(role) == keys, role


def test_the_extra_mile_is_run_by_it_and_read_by_the_business():
    it, cio, business = _held(Role.IT_STAFF), _held(Role.CIO), _held(Role.BUSINESS_MANAGER)
    assert {("extramile", "add_extramileaction"), ("extramile", "change_maintenancewindow")} <= it
    assert ("extramile", "delete_extramileaction") in cio
    assert ("extramile", "view_extramileaction") in business
    assert ("extramile", "add_extramileaction") not in business
    assert ("extramile", "view_problemsuggestion") not in business


def test_a_permission_given_by_hand_is_taken_back_and_a_lost_one_restored_by_the_next_migrate():
    it_staff = Group.objects.get(name=Role.IT_STAFF)
    it_staff.permissions.add(Permission.objects.get(content_type__app_label="listening", codename="delete_painpoint"))
    it_staff.permissions.remove(Permission.objects.get(content_type__app_label="extramile", codename="view_checkin"))
    call_command("migrate", verbosity=0)
    assert _held(Role.IT_STAFF) == role_permissions()[Role.IT_STAFF]
