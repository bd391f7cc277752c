"""Every create, update and delete of a domain object lands in the audit trail."""

import pytest
from django.db import DatabaseError, transaction

from partnership.audit import acting_as
from partnership.models import AuditLogEntry, BusinessUnit

pytestmark = pytest.mark.django_db


def entries_for(obj):
    return list(AuditLogEntry.objects.for_object(obj).order_by("at", "id"))


def test_a_create_update_and_delete_each_write_one_row_with_before_and_after(carla):
    with acting_as(carla):
        unit = BusinessUnit.objects.create(name="Legal", slug="legal")
        unit = BusinessUnit.objects.get(pk=unit.pk)
        unit.name = "Legal & Compliance"
        unit.save()
        unit_pk = unit.pk
        unit.delete()
    rows = list(AuditLogEntry.objects.filter(object_id=str(unit_pk), content_type__model="businessunit").order_by("id"))
    assert [r.action for r in rows] == ["create", "update", "delete"]
    assert all(r.actor == carla for r in rows)
    assert rows[0].after["name"] == "Legal"
    assert rows[1].before == {"name": "Legal"}
    assert rows[1].after == {"name": "Legal & Compliance"}
    assert rows[2].before["slug"] == "legal"


def test_saving_without_a_change_writes_no_update_row():
    unit = BusinessUnit.objects.create(name="Legal", slug="legal")
    BusinessUnit.objects.get(pk=unit.pk).save()
    assert [e.action for e in entries_for(unit)] == ["create"]


def test_a_change_rolled_back_leaves_no_audit_row():
    with pytest.raises(RuntimeError), transaction.atomic():
        BusinessUnit.objects.create(name="Ghost", slug="ghost")
        raise RuntimeError("failure before commit")
    assert not BusinessUnit.objects.filter(slug="ghost").exists()
    assert not AuditLogEntry.objects.filter(object_repr="Ghost").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", ["create", "update", "delete"])
def test_a_change_whose_audit_row_cannot_be_written_is_not_saved_either(monkeypatch, change):
    # Real commits (transaction=True): outside any atomic block of the caller, the change and its
    # audit row are committed together or not at all.
    unit = BusinessUnit.objects.create(name="Legal", slug="legal")

    def refuse(*args, **kwargs):
        raise DatabaseError("the audit table refuses the row")

    monkeypatch.setattr(AuditLogEntry, "save", refuse)
    with pytest.raises(DatabaseError, match="audit table"):
        if change == "create":
            BusinessUnit.objects.create(name="Ghost", slug="ghost")
        elif change == "update":
            unit.name = "Renamed"
            unit.save()
        else:
            unit.delete()
    monkeypatch.undo()
    assert list(BusinessUnit.objects.filter(slug__in=["legal", "ghost"]).values_list("name", flat=True)) == ["Legal"]
    assert [e.action for e in entries_for(unit)] == ["create"]


def test_the_actor_of_an_api_or_page_request_is_recorded(client, root):
    client.force_login(root)
    client.post(
        "/admin/partnership/businessunit/add/",
        {"name": "Procurement", "slug": "procurement", "description": "", "is_active": "on"},
    )
    unit = BusinessUnit.objects.get(slug="procurement")
    assert entries_for(unit)[0].actor == root


def test_the_change_log_is_visible_in_admin(client, root):
    BusinessUnit.objects.create(name="Legal", slug="legal")
    client.force_login(root)
    page = client.get("/admin/partnership/auditlogentry/").content.decode()
    assert "Legal" in page


@pytest.mark.django_db(transaction=True)
def test_a_service_whose_last_audit_row_fails_saves_none_of_its_changes(monkeypatch, alice, ivan):
    # Acknowledging writes the pain point, then its history row, each with an audit row: when the
    # history row's audit write fails, the service's one transaction leaves the pain point as it was.
    from listening.choices import PainPointStatus
    from listening.models import PainPoint, PainPointStatusChange
    from listening.services import pain_point_acknowledge
    from tests.listening.factories import make_pain_point

    pain_point = make_pain_point(submitted_by=alice)
    original = AuditLogEntry.save

    def refuse_the_history_row(entry, *args, **kwargs):
        if entry.content_type.model == "painpointstatuschange":
            raise DatabaseError("the audit table refuses the row")
        return original(entry, *args, **kwargs)

    monkeypatch.setattr(AuditLogEntry, "save", refuse_the_history_row)
    with pytest.raises(DatabaseError, match="audit table"):
        pain_point_acknowledge(pain_point=pain_point, actor=ivan)
    monkeypatch.undo()
    stored = PainPoint.objects.get(pk=pain_point.pk)
    assert (stored.status, stored.acknowledged_at) == (PainPointStatus.NEW, None)
    assert not PainPointStatusChange.objects.filter(pain_point=pain_point, to_status=PainPointStatus.ACKNOWLEDGED).exists()
    assert [e.action for e in entries_for(stored)] == ["create"]


def test_the_change_history_shows_field_labels_names_choices_and_local_times(client, carla, ivan, alice, settings):
    import datetime
    import re

    from initiatives.models import Initiative

    from ..initiatives.factories import make_initiative

    settings.TIME_ZONE = "Europe/Prague"
    initiative = make_initiative(actor=ivan, sponsor=alice)
    initiative = Initiative.objects.get(pk=initiative.pk)
    initiative.it_owner = carla
    initiative.status = "proposed"
    initiative.proposed_at = datetime.datetime(2026, 7, 1, 6, 30, tzinfo=datetime.UTC)
    initiative.save()
    client.force_login(carla)
    page = client.get(initiative.get_absolute_url()).content.decode()
    trail = re.sub(r"\s+", " ", page[page.index('data-testid="audit-trail"'):])
    assert f"IT owner: {ivan} → {carla}" in trail
    assert "Status: Idea → Proposed" in trail
    assert "Proposed at: — → 2026-07-01 08:30" in trail, "the local time (Prague, summer), not UTC ISO"
    assert "it_owner_id" not in trail and "06:30" not in trail and f"→ {carla.pk}<" not in trail
