"""The in-app inbox: the bell's unread count, opening, marking read, and the API."""

import pytest

from partnership.notifications.models import Notification
from partnership.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_notify_puts_one_notification_per_recipient_and_the_bell_counts_them(client, alice, mallory, sales):
    notify(recipients=[alice, alice, mallory], kind="test.hello", title="Hello", url="/accounts/profile/", target=sales)
    assert Notification.objects.filter(recipient=alice).count() == 1
    client.force_login(alice)
    page = client.get("/inbox/").content.decode()
    assert 'data-testid="unread-count">1<' in page
    assert "Hello" in page


def test_opening_a_notification_marks_it_read_and_goes_to_its_object(client, alice):
    (note,) = notify(recipients=[alice], kind="test.hello", title="Hello", url="/accounts/profile/")
    client.force_login(alice)
    response = client.post(f"/inbox/{note.pk}/open/")
    assert response["Location"] == "/accounts/profile/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert "unread-count" not in client.get("/inbox/").content.decode()


def test_a_notification_never_redirects_off_site(client, alice):
    (note,) = notify(recipients=[alice], kind="test.hello", title="Hello", url="https://evil.example.com/")
    client.force_login(alice)
    assert client.post(f"/inbox/{note.pk}/open/")["Location"] == "/inbox/"


def test_someone_elses_notification_is_404(client, alice, mallory):
    (note,) = notify(recipients=[mallory], kind="test.hello", title="Secret")
    client.force_login(alice)
    assert client.post(f"/inbox/{note.pk}/open/").status_code == 404
    assert "Secret" not in client.get("/inbox/").content.decode()


def test_mark_all_read_in_the_page_and_the_api(client, api, alice):
    notify(recipients=[alice], kind="a", title="One")
    notify(recipients=[alice], kind="b", title="Two")
    client_api = api(alice)
    listed = client_api.get("/api/v1/notifications/?unread=true").json()
    assert listed["count"] == 2
    first = listed["results"][0]["id"]
    assert client_api.post(f"/api/v1/notifications/{first}/mark-read/").json() == {"marked_read": 1}
    assert client_api.post("/api/v1/notifications/mark-all-read/").json() == {"marked_read": 1}
    client.force_login(alice)
    notify(recipients=[alice], kind="c", title="Three")
    client.post("/inbox/read-all/")
    assert not Notification.objects.unread().exists()


def test_the_inbox_page_has_a_constant_number_of_queries(client, alice, django_assert_num_queries):
    client.force_login(alice)
    notify(recipients=[alice], kind="a", title="One")
    client.get("/inbox/")
    with django_assert_num_queries(9) as small:
        client.get("/inbox/")
    for i in range(40):
        notify(recipients=[alice], kind="a", title=f"N{i}")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/inbox/")
