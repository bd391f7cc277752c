"""Where outbound webhooks may go (SSRF, issue 17): a subscription to an address inside the network
is refused when it is saved, the sender checks every address it resolved and connects to a checked
one only (no DNS rebinding), a stored URL that can never work fails once, and the delivery log
never says what a name resolves to."""

import http.server
import socket
import ssl
import threading

import pytest

from partnership.integrations import delivery as sender
from partnership.integrations import subscriptions, tasks
from partnership.integrations.choices import PING_EVENT
from partnership.integrations.delivery import AttemptOutcome, stale_delivery_ids, webhook_delivery_attempt
from partnership.integrations.destinations import address_is_public
from partnership.integrations.models import WebhookDelivery, WebhookSubscription
from partnership.integrations.outbound import deliveries_queue

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.216.34"
NOT_PUBLIC = "Refused: the address is not public."
SUBSCRIPTIONS = "/api/v1/webhook-subscriptions/"

_real_getaddrinfo = socket.getaddrinfo


@pytest.fixture(autouse=True)
def _private_addresses_refused(settings):
    settings.INTEGRATIONS_WEBHOOK_ALLOW_PRIVATE_URLS = False
    settings.INTEGRATIONS_WEBHOOK_TIMEOUT_SECONDS = 5


@pytest.fixture
def resolver(monkeypatch):
    """`resolver.answers = [[...], [...]]`: what names under example.com resolve to, one list per
    lookup (the last one repeats); `resolver.lookups` counts them. Other names resolve as usual."""

    class Resolver:
        answers = [[PUBLIC]]
        lookups = 0

        def getaddrinfo(self, host, port, *args, **kwargs):
            if not str(host).endswith("example.com"):
                return _real_getaddrinfo(host, port, *args, **kwargs)
            self.lookups += 1
            answer = self.answers[min(self.lookups, len(self.answers)) - 1]
            if isinstance(answer, Exception):
                raise answer
            return [
                (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (a, port, 0, 0))
                if ":" in a
                else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in answer
            ]

    fake = Resolver()
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    return fake


@pytest.fixture
def receiver():
    """A receiver on 127.0.0.1 that keeps the Host header and path of every request."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            requests.append((self.headers["Host"], self.path))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.requests = requests
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def connections(monkeypatch):
    """Every address the sender connects to; `connections.redirect` sends them to a local port."""

    class Recorder:
        targets = []
        redirect = None

        def connect(self, family, sockaddr, timeout):
            self.targets.append(sockaddr[:2])
            if self.redirect is None:
                raise ConnectionRefusedError(111, "Connection refused")
            return real(socket.AF_INET, ("127.0.0.1", self.redirect), timeout)

    real = sender._connect
    recorder = Recorder()
    recorder.targets = []
    monkeypatch.setattr(sender, "_connect", recorder.connect)
    return recorder


def ping(subscription) -> WebhookDelivery:
    return deliveries_queue([subscription], PING_EVENT, {"message": "hello"})[0]


@pytest.fixture
def queued(monkeypatch):
    monkeypatch.setattr(tasks.deliver_webhook, "delay", lambda pk: None)


# --- Which addresses are public ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700:4700::1111", True),
        ("64:ff9b::808:808", True),  # NAT64 of 8.8.8.8
        ("::ffff:8.8.8.8", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # the cloud metadata service
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("224.0.0.1", False),  # multicast, which Python's is_global lets through
        ("240.0.0.1", False),  # reserved
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("fd00::1", False),  # unique local
        ("fe80::1", False),
        ("fec0::1", False),  # site-local
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
        ("64:ff9b:1::a00:1", False),  # local-use NAT64
        ("2002:7f00:1::1", False),  # 6to4 of 127.0.0.1
    ],
)
def test_which_addresses_are_public(address, public):
    import ipaddress

    assert address_is_public(ipaddress.ip_address(address)) is public


# --- Refused when a subscription is created or changed -----------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://10.0.0.5/hook",
        "http://172.16.3.4/hook",
        "https://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
        "http://240.0.0.1/hook",
        "http://255.255.255.255/hook",
        "http://[::1]/hook",
        "http://[fd12:3456::1]/hook",
        "http://[fe80::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[64:ff9b::a00:1]/hook",
        "http://localhost:8000/hook",
    ],
)
def test_a_subscription_to_an_address_that_is_not_public_is_refused(api, ivan, url):
    client = api(ivan)
    response = client.post(SUBSCRIPTIONS, {"url": url, "events": ["pain_point.created"]}, format="json")
    assert response.status_code == 400
    assert NOT_PUBLIC in response.json()["fields"]["url"][0]
    assert not WebhookSubscription.objects.exists()

    created = client.post(SUBSCRIPTIONS, {"url": "https://93.184.216.34/hook", "events": ["pain_point.created"]}, format="json")
    response = client.patch(f"{SUBSCRIPTIONS}{created.json()['id']}/", {"url": url}, format="json")
    assert response.status_code == 400
    assert NOT_PUBLIC in response.json()["fields"]["url"][0]
    assert WebhookSubscription.objects.get().url == "https://93.184.216.34/hook"


def test_a_name_that_resolves_to_loopback_is_refused_without_saying_the_address(api, ivan, resolver):
    resolver.answers = [[PUBLIC, "127.0.0.1"]]  # every address counts, not only the first
    response = api(ivan).post(
        SUBSCRIPTIONS, {"url": "https://hooks.example.com/portal", "events": ["pain_point.created"]}, format="json"
    )
    assert response.status_code == 400
    message = response.json()["fields"]["url"][0]
    assert NOT_PUBLIC in message and "127.0.0.1" not in message


def test_a_name_that_does_not_resolve_yet_is_accepted_and_checked_before_each_delivery(api, ivan, resolver):
    resolver.answers = [socket.gaierror(socket.EAI_NONAME, "Name or service not known")]
    response = api(ivan).post(
        SUBSCRIPTIONS, {"url": "https://hooks.example.com/portal", "events": ["pain_point.created"]}, format="json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://hooks.example.com:99999/portal", "Use a port between 1 and 65535."),
        ("https://hooks.example.com:0/portal", "Use a port between 1 and 65535."),
        ("https://hooks.example.com:https/portal", "Enter a valid URL."),
        ("ftp://hooks.example.com/portal", "Use an http or https URL."),
        ("https://user:secret@hooks.example.com/portal", "Leave the user name and password out of the URL"),
    ],
)
def test_a_url_that_can_never_receive_a_delivery_is_refused(api, ivan, resolver, url, message):
    response = api(ivan).post(SUBSCRIPTIONS, {"url": url, "events": ["pain_point.created"]}, format="json")
    assert response.status_code == 400
    assert any(m.startswith(message) for m in response.json()["fields"]["url"])


def test_the_operator_may_allow_private_addresses_for_an_on_premise_receiver(api, ivan, settings):
    settings.INTEGRATIONS_WEBHOOK_ALLOW_PRIVATE_URLS = True
    client = api(ivan)
    response = client.post(SUBSCRIPTIONS, {"url": "http://10.0.0.5/hook", "events": ["pain_point.created"]}, format="json")
    assert response.status_code == 201
    response = client.post(SUBSCRIPTIONS, {"url": "http://10.0.0.5:99999/hook", "events": ["pain_point.created"]}, format="json")
    assert response.status_code == 400 and "url" in response.json()["fields"]


def test_the_admin_refuses_the_same_addresses_with_the_same_message(client, root, ivan):
    client.force_login(root)
    response = client.post(
        "/admin/integrations/webhooksubscription/add/",
        {"owner": ivan.pk, "url": "http://169.254.169.254/latest/", "events": '["pain_point.created"]', "enabled": "on"},
    )
    assert response.status_code == 200  # the form again, with its error
    assert NOT_PUBLIC in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_the_service_refuses_them_too(ivan):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        subscriptions.webhook_subscription_create(owner=ivan, url="http://[::ffff:127.0.0.1]/", events=["pain_point.created"])
    assert NOT_PUBLIC in refused.value.message_dict["url"][0]


# --- At send time ----------------------------------------------------------------------------------------


def test_the_sender_connects_to_the_address_it_checked_not_to_a_rebound_one(ivan, resolver, connections, receiver, queued):
    """The name resolves to a public address when checked and to 127.0.0.1 right after (DNS
    rebinding): the sender resolves once and connects to the checked address, with the name in
    the Host header."""
    port = receiver.server_port
    subscription = subscriptions.webhook_subscription_create(
        owner=ivan, url=f"http://hooks.example.com:{port}/portal?v=1", events=["pain_point.created"]
    )
    resolver.lookups, resolver.answers = 0, [[PUBLIC], ["127.0.0.1"]]
    connections.redirect = port  # what listens at the public address, here
    assert webhook_delivery_attempt(delivery_id=ping(subscription).pk) == AttemptOutcome.SUCCEEDED
    assert resolver.lookups == 1
    assert connections.targets == [(PUBLIC, port)]
    assert receiver.requests == [(f"hooks.example.com:{port}", "/portal?v=1")]


def test_https_checks_the_certificate_of_the_name_while_connecting_to_the_checked_address(
    ivan, resolver, connections, monkeypatch, receiver, queued
):
    hostnames = []

    def wrap_socket(context, sock, server_hostname=None, **kwargs):
        hostnames.append((server_hostname, context.check_hostname, context.verify_mode))
        sock.close()
        raise ssl.SSLCertVerificationError(f"certificate verify failed: not valid for {PUBLIC}")

    monkeypatch.setattr(ssl.SSLContext, "wrap_socket", wrap_socket)
    subscription = subscriptions.webhook_subscription_create(owner=ivan, url="https://hooks.example.com/portal", events=["pain_point.created"])
    connections.redirect = receiver.server_port
    delivery = ping(subscription)
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == AttemptOutcome.RETRY
    assert connections.targets == [(PUBLIC, 443)]
    assert hostnames == [("hooks.example.com", True, ssl.CERT_REQUIRED)]
    delivery.refresh_from_db()
    assert "certificate verify failed" in delivery.last_error and PUBLIC not in delivery.last_error


def test_a_name_rebound_to_a_private_address_is_refused_before_connecting(api, ivan, resolver, connections, queued):
    subscription = subscriptions.webhook_subscription_create(owner=ivan, url="https://hooks.example.com/portal", events=["pain_point.created"])
    resolver.answers = [["10.0.0.7", PUBLIC]]
    delivery = ping(subscription)
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == AttemptOutcome.RETRY
    assert connections.targets == []
    delivery.refresh_from_db()
    assert delivery.last_error == NOT_PUBLIC
    shown = api(ivan).get(f"/api/v1/webhook-deliveries/{delivery.pk}/").json()
    assert shown["last_error"] == NOT_PUBLIC and "10.0.0.7" not in str(shown)


def test_a_connection_error_in_the_log_does_not_say_what_the_name_resolves_to(ivan, resolver, monkeypatch, settings, queued):
    def refuse(family, sockaddr, timeout):
        raise ConnectionRefusedError(111, f"Connection to {sockaddr[0]} refused")

    monkeypatch.setattr(sender, "_connect", refuse)
    subscription = subscriptions.webhook_subscription_create(owner=ivan, url="https://hooks.example.com/portal", events=["pain_point.created"])
    delivery = ping(subscription)
    webhook_delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert "refused" in delivery.last_error and PUBLIC not in delivery.last_error


@pytest.mark.parametrize("url", ["https://hooks.example.com:99999/portal", "https://hooks.example.com:port/portal"])
def test_a_stored_url_with_an_impossible_port_fails_at_once_instead_of_retrying_forever(ivan, resolver, connections, url, queued):
    """A row saved before the URL was checked: the delivery fails for good on its first attempt,
    the task does not raise, and the requeue sweep leaves it alone."""
    subscription = subscriptions.webhook_subscription_create(owner=ivan, url="https://hooks.example.com/portal", events=["pain_point.created"])
    WebhookSubscription.objects.filter(pk=subscription.pk).update(url=url)
    delivery = ping(subscription)
    tasks.deliver_webhook(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert delivery.last_error == "Use a port between 1 and 65535."
    assert connections.targets == []
    assert delivery.pk not in stale_delivery_ids(older_than_seconds=0)
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 1  # counts towards disabling the subscription
