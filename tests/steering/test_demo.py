"""The demo data: believable, idempotent, and enough for every measure to have data."""

import pytest

from partnership import demo as partnership_demo
from partnership.score import Window
from steering import demo, selectors
from steering.models import Committee, Decision, Event, Meeting, Position, Registration

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Committee, Meeting, Decision, Position, Event, Registration)]


def test_the_demo_seeds_once_and_feeds_every_measure():
    partnership_demo.seed()
    demo.seed()
    first = counts()
    demo.seed()
    assert counts() == first
    assert Committee.objects.filter(name__in=["BYOD steering committee", "Information security committee"]).count() == 2
    assert Event.objects.filter(title="Meet your IT procurement guy").exists()
    assert Event.objects.filter(kind="open_day").exists() and Event.objects.filter(kind="workshop").exists()
    window = Window.last_days(270)
    for measure in (
        selectors.business_attendance_rate,
        selectors.decisions_with_buy_in_share,
        selectors.business_attendees_per_event,
        selectors.average_event_rating,
    ):
        assert measure(window).value is not None, measure.__name__
    flags = {d.title: d.buy_in() for d in Decision.objects.with_buy_in()}
    assert flags["Allow personal phones for company e-mail with MDM"] is True
    assert flags["Monthly allowance for personal phones used for work"] is False


def test_a_larger_scale_adds_rows_in_bulk_and_stays_idempotent():
    partnership_demo.seed(scale=2)
    demo.seed(scale=2)
    first = counts()
    demo.seed(scale=2)
    assert counts() == first
    assert Event.objects.filter(title__startswith="Lunch and learn").count() == partnership_demo.bulk_volume(2, "events") >= 1


def test_every_page_renders_with_the_demo_data(client):
    partnership_demo.seed()
    demo.seed()
    from partnership.models import User

    urls = ["/steering/", "/steering/committees/", "/steering/meetings/", "/steering/decisions/?review_due=1",
            "/steering/action-items/?state=overdue", "/steering/events/", "/steering/events/?when=past"]
    urls += [c.get_absolute_url() for c in Committee.objects.all()]
    urls += [m.get_absolute_url() for m in Meeting.objects.all()[:3]]
    urls += [d.get_absolute_url() for d in Decision.objects.all()]
    urls += [e.get_absolute_url() for e in Event.objects.all()]
    for username in ("carla", "alice", "mallory"):
        client.force_login(User.objects.get(username=username))
        for url in urls:
            assert client.get(url).status_code in (200, 404), url
    client.force_login(User.objects.get(username="carla"))
    assert "Business buy-in" in client.get("/steering/decisions/").content.decode()
