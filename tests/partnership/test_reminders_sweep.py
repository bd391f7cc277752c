"""The sweep inserts each kind's due rows with one INSERT ... SELECT run by the database: a plain
queryset, a group fanned out (`to_each`) and a union of both insert exactly the rows their
Python iteration yields, in a number of queries that does not grow with the rows; a kind that
returns a Python list still works; a failing kind is skipped; a second run adds nothing."""

import datetime
import logging

import pytest
from django.db import OperationalError
from django.db.models import Exists, F, OuterRef, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone

from partnership.extramile import services as extramile_services
from partnership.extramile.reminders import CHECK_IN_ESCALATED
from partnership.models import BusinessUnit, User
from partnership.notifications import FanOut, ReminderKind, period_week, registry, to_each, union
from partnership.notifications import services as reminder_services
from partnership.notifications.choices import EmailState, ReminderStatus
from partnership.notifications.models import Reminder
from partnership.notifications.services import reminders_send, reminders_sweep
from partnership.roles import Role
from tests.extramile.factories import record_window
from tests.factories import UserFactory

from .reminder_kinds import UNIT_REVIEW

pytestmark = pytest.mark.django_db

LONG_TAIL = " and a tail that makes the period longer than the ledger's forty characters"


def _old_units(now):
    return BusinessUnit.objects.filter(is_active=True, created_at__lte=now - datetime.timedelta(days=7))


def _it_staff():
    return User.objects.filter(is_active=True, groups__name=Role.IT_STAFF).values_list("pk", flat=True)


def _fan_out_due(now):
    """Every active IT person, for every business unit a week old."""
    return to_each(_it_staff(), _old_units(now).values(target_id=F("pk"), period=Value(period_week(now))))


def _union_due(now):
    """A unit's active members; a unit without any: every active IT person. A period too long."""
    period = Value(period_week(now) + LONG_TAIL)
    members = User.objects.filter(is_active=True, business_unit=OuterRef("pk"))
    return union(
        User.objects.filter(is_active=True, business_unit__in=_old_units(now)).values(
            recipient_id=F("pk"), target_id=F("business_unit_id"), period=period
        ),
        to_each(_it_staff(), _old_units(now).filter(~Exists(members)).values(target_id=F("pk"), period=period)),
    )


def _kind(key, due):
    return ReminderKind(
        key=key, label=key, target_model="partnership.BusinessUnit", due=due, message=UNIT_REVIEW.message
    )


FAN_OUT = _kind("test.fan_out", _fan_out_due)
UNION = _kind("test.union", _union_due)
THREE = (UNIT_REVIEW, FAN_OUT, UNION)


@pytest.fixture
def use_kinds():
    """Only the kinds a test names (or the keys of registered kinds) are registered; the real
    registry comes back after."""
    saved = dict(registry._REGISTRY)
    registry._REGISTRY.clear()

    def use(*kinds):
        kinds = [saved[kind] if isinstance(kind, str) else kind for kind in kinds]
        for kind in kinds:
            registry.register(kind)
        return kinds

    yield use
    registry._REGISTRY.clear()
    registry._REGISTRY.update(saved)


def make_units(count, members_each, *, days_old=30):
    """`count` business units `days_old` days old, with `members_each` active people each."""
    start = BusinessUnit.objects.count()
    units = BusinessUnit.objects.bulk_create(
        [BusinessUnit(name=f"Sweep unit {i}", slug=f"sweep-{i}") for i in range(start, start + count)]
    )
    BusinessUnit.objects.filter(pk__in=[u.pk for u in units]).update(
        created_at=timezone.now() - datetime.timedelta(days=days_old)
    )
    User.objects.bulk_create(
        [User(username=f"sweep-{u.pk}-{j}", business_unit=u) for u in units for j in range(members_each)]
    )
    return units


def python_rows(kinds, now):
    """What the kinds' due rows say, read in Python: (kind, recipient, target, period) as stored."""
    return {
        (kind.key, row["recipient_id"], str(row["target_id"]), str(row["period"])[:40])
        for kind in kinds
        for row in kind.due(now)
        if row["recipient_id"] is not None
    }


def ledger_rows():
    return set(Reminder.objects.values_list("kind", "recipient_id", "target_id", "period"))


# --- (1) The number of queries ------------------------------------------------------------------


def test_the_sweep_needs_one_insert_per_kind_for_one_or_thirty_due_rows_each(use_kinds, django_assert_num_queries):
    use_kinds(*THREE)
    UserFactory(role=Role.IT_STAFF)
    make_units(1, 1)
    reminders_sweep()  # warms the content-type cache
    Reminder.objects.all().delete()

    # Per kind: the savepoint, its INSERT ... SELECT (the due query runs inside it), the release.
    with django_assert_num_queries(9) as small:
        assert reminders_sweep() == 3
    inserts = [q["sql"] for q in small.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(inserts) == 3 and all(
        sql.startswith("INSERT INTO") and "ON CONFLICT DO NOTHING" in sql for sql in inserts
    )

    Reminder.objects.all().delete()
    make_units(29, 1)
    with django_assert_num_queries(9):
        assert reminders_sweep() == 90
    assert {
        kind: Reminder.objects.filter(kind=kind).count() for kind in ("test.unit_review", "test.fan_out", "test.union")
    } == {
        "test.unit_review": 30,
        "test.fan_out": 30,
        "test.union": 30,
    }


def test_a_kind_with_an_empty_queryset_runs_no_insert(use_kinds, django_assert_num_queries):
    use_kinds(
        _kind(
            "test.none",
            lambda now: User.objects.none().values(recipient_id=F("pk"), target_id=F("pk"), period=Value("x")),
        ),
        _kind(
            "test.nobody", lambda now: to_each(User.objects.none().values_list("pk", flat=True), _fan_out_due(now).rows)
        ),
    )
    make_units(2, 1)
    with django_assert_num_queries(4):  # a savepoint and its release per kind, nothing else
        assert reminders_sweep() == 0


# --- (2) The SQL inserts what the Python iteration yields --------------------------------------


def test_a_fan_out_and_a_union_insert_exactly_the_rows_their_python_iteration_yields(use_kinds, carla):
    use_kinds(*THREE)
    it_people = [UserFactory(role=Role.IT_STAFF) for _ in range(2)]
    UserFactory(role=Role.IT_STAFF, is_active=False)
    with_members = make_units(2, 3)
    User.objects.filter(business_unit=with_members[0]).update(is_active=False)  # its members all left
    without_members = make_units(1, 0)
    make_units(1, 2, days_old=2)  # too young
    inactive = make_units(1, 2)
    BusinessUnit.objects.filter(pk=inactive[0].pk).update(is_active=False)
    now = timezone.now()

    expected = python_rows(THREE, now)
    assert len(FAN_OUT.due(now)) == 2 * 3, "two IT people for each of the three old active units"
    union_rows = {(recipient, target) for kind, recipient, target, _ in expected if kind == "test.union"}
    assert union_rows == {
        *((m.pk, str(with_members[1].pk)) for m in User.objects.filter(business_unit=with_members[1])),
        *((p.pk, str(unit.pk)) for p in it_people for unit in (with_members[0], without_members[0])),
    }

    before = timezone.now()
    assert reminders_sweep(now=now) == len(expected) == 3 + 6 + 7
    assert ledger_rows() == expected
    assert {len(period) for kind, _, _, period in expected if kind == "test.union"} == {40}
    rows = Reminder.objects.all()
    assert {(r.status, r.email_state, r.attempts, r.last_error, r.claimed_at, r.sent_at) for r in rows} == {
        (ReminderStatus.PENDING, EmailState.NONE, 0, "", None, None)
    }
    (stamp,) = {r.created_at for r in rows}
    assert before <= stamp <= timezone.now(), "rows are stamped with the sweep's time, not `now`"
    assert {r.target_type.model for r in rows} == {"businessunit"}


def test_the_extra_mile_escalation_union_inserts_what_it_iterates(use_kinds, sales):
    """The pillar union (recorder if still in IT, else the IT staff group): SQL and Python agree."""
    (kind,) = use_kinds(CHECK_IN_ESCALATED)
    recorder, left = UserFactory(role=Role.IT_STAFF), UserFactory(role=Role.CIO)
    staff = [UserFactory(role=Role.IT_STAFF) for _ in range(2)]
    key_users = [UserFactory(business_unit=sales) for _ in range(2)]
    record_window(actor=recorder, key_users=key_users[:1], starts_in_hours=-3, hours=2)
    record_window(actor=left, key_users=key_users[1:], starts_in_hours=-3, hours=2)
    extramile_services.check_ins_create()
    left.is_active = False
    left.save()
    now = timezone.now() + datetime.timedelta(days=5)

    expected = python_rows([kind], now)
    assert {recipient for _, recipient, _, _ in expected} == {recorder.pk, *(s.pk for s in staff)}
    assert reminders_sweep(now=now) == len(expected) == 1 + 3
    assert ledger_rows() == expected


# --- (3) A kind returning a plain list ------------------------------------------------------------


def test_a_kind_returning_a_plain_list_is_inserted_in_bounded_batches(use_kinds, monkeypatch):
    def listed(now):
        return [*UNIT_REVIEW.due(now), {"recipient_id": None, "target_id": 1, "period": "skipped"}]

    use_kinds(_kind("test.listed", listed))
    monkeypatch.setattr(reminder_services, "SWEEP_INSERT_BATCH", 2)
    make_units(1, 5)
    now = timezone.now()
    expected = {("test.listed", *row[1:]) for row in python_rows([UNIT_REVIEW], now)}
    assert reminders_sweep(now=now) == 5
    assert ledger_rows() == expected
    assert reminders_sweep(now=now) == 0
    assert reminders_send().sent == 5


# --- (4) A failing kind -----------------------------------------------------------------------------


def test_a_kind_failing_in_the_database_is_skipped_and_the_others_still_insert(use_kinds, caplog):
    def broken_sql(now):
        return UNIT_REVIEW.due(now).values(recipient_id=F("pk"), target_id=F("pk"), period=RawSQL("no_such_column", ()))

    def broken_python(now):
        raise RuntimeError("a bug in a pillar")

    use_kinds(_kind("test.a_broken_sql", broken_sql), _kind("test.b_broken_python", broken_python), *THREE)
    UserFactory(role=Role.IT_STAFF)
    make_units(2, 1)
    with caplog.at_level(logging.ERROR, logger="partnership.notifications.services"):
        assert reminders_sweep() == 2 + 2 + 2
    assert {r.getMessage() for r in caplog.records} == {
        "reminder kind test.a_broken_sql: the due query failed; skipped in this sweep",
        "reminder kind test.b_broken_python: the due query failed; skipped in this sweep",
    }
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"test.unit_review", "test.fan_out", "test.union"}


def test_a_transient_error_stops_the_sweep_for_a_retry(use_kinds):
    def away(now):
        raise OperationalError("the database went away")

    use_kinds(_kind("test.away", away), UNIT_REVIEW)
    make_units(1, 1)
    with pytest.raises(OperationalError):
        reminders_sweep()


# --- (5) Twice ----------------------------------------------------------------------------------------


def test_a_second_sweep_inserts_nothing_new(use_kinds):
    use_kinds(*THREE, _kind("test.listed", lambda now: list(UNIT_REVIEW.due(now))))
    UserFactory(role=Role.IT_STAFF)
    make_units(3, 2)
    now = timezone.now()
    assert reminders_sweep(now=now) == 6 + 3 + 6 + 6
    first = set(Reminder.objects.values_list("pk", "created_at"))
    assert reminders_sweep(now=now) == 0
    assert reminders_sweep(now=now + datetime.timedelta(hours=1)) == 0
    assert set(Reminder.objects.values_list("pk", "created_at")) == first
    assert reminders_sweep(now=now + datetime.timedelta(days=7)) == 21, "a new week, a new period"


def test_a_fan_out_is_iterable_and_sized_like_the_list_it_stands_for(ivan, sales):
    BusinessUnit.objects.filter(pk=sales.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    due = _fan_out_due(timezone.now())
    assert isinstance(due, FanOut)
    assert len(due) == 1
    assert list(due) == [{"recipient_id": ivan.pk, "target_id": sales.pk, "period": period_week(timezone.now())}]
