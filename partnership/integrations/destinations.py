"""Where an outbound webhook may go (SSRF): the one rule the subscription's `clean()`, its API
serializer and the sender share.

A webhook URL is refused when it is not an http(s) URL, carries a user name or password, names a
port outside 1-65535, or when its host is, or resolves to, an address that is not public
(loopback, private, link-local, carrier-grade NAT, multicast, reserved, ...; IPv4 addresses
inside IPv6 - mapped, NAT64, 6to4 - are judged by the IPv4 address they carry), unless
INTEGRATIONS_WEBHOOK_ALLOW_PRIVATE_URLS allows private addresses (an on-premise receiver).

Validation resolves the name to refuse a bad URL early; the sender resolves it again once per
attempt, checks every address and connects to a checked one (`destination_resolve()`), so a
name that changes what it resolves to between the check and the connection (DNS rebinding)
cannot reach the network inside. Messages never say what a name resolves to.
"""

import ipaddress
import socket
import urllib.parse
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

NOT_PUBLIC = "Refused: the address is not public."
NOT_PUBLIC_HINT = (
    " Webhooks are sent to public internet addresses only; an on-premise receiver needs the operator "
    "to allow private addresses."
)
SCHEMES = ("http", "https")
_URL_SAFE = "/?#[]@!$&'()*+,;=:%-._~"

# IPv6 prefixes that carry an IPv4 address in their last 32 bits (RFC 6052 NAT64, well-known and
# local-use), judged by that IPv4 address.
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))


class DestinationRefused(Exception):
    """The URL may not receive a delivery. `permanent`: the URL itself is wrong (no retry helps)."""

    def __init__(self, message: str, *, permanent: bool):
        super().__init__(message)
        self.message = message
        self.permanent = permanent


def address_is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for an address on the public internet. `is_global` alone lets multicast, IPv6
    site-local and NAT64 through (Python 3.11), hence the explicit checks."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and any(address in network for network in _NAT64):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return address_is_public(embedded)
        if address.is_site_local:
            return False
    return address.is_global and not (
        address.is_multicast
        or address.is_private
        or address.is_reserved
        or address.is_loopback
        or address.is_link_local
        or address.is_unspecified
    )


@dataclass(frozen=True)
class Destination:
    """A webhook URL taken apart, with the checked addresses to connect to (family, sockaddr)."""

    scheme: str
    host: str
    port: int
    target: str  # path and query, as sent in the request line
    addresses: tuple = ()


def _parts(url: str) -> Destination:
    """The URL's scheme, host, port and target, or DestinationRefused (permanent)."""
    parts = urllib.parse.urlsplit(url or "")
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise DestinationRefused("Use an http or https URL.", permanent=True)
    if parts.username is not None or parts.password is not None:
        raise DestinationRefused(
            "Leave the user name and password out of the URL: the signature authenticates the portal.", permanent=True
        )
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port is not None and not 1 <= port <= 65535:
        raise DestinationRefused("Use a port between 1 and 65535.", permanent=True)
    try:
        host = parts.hostname if _literal(parts.hostname) else parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise DestinationRefused("Enter a valid host name.", permanent=True) from None
    scheme = parts.scheme.lower()
    # Non-ASCII in the path is sent percent-encoded; what is already encoded stays as it is.
    target = urllib.parse.quote((parts.path or "/") + (f"?{parts.query}" if parts.query else ""), safe=_URL_SAFE)
    return Destination(scheme=scheme, host=host, port=port or (443 if scheme == "https" else 80), target=target)


def _literal(host: str):
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return None


def _resolve(destination: Destination) -> list:
    """Every (family, sockaddr) the host resolves to; socket.gaierror if it does not resolve."""
    infos = socket.getaddrinfo(destination.host, destination.port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys((family, sockaddr) for family, _, _, _, sockaddr in infos))


def _check(addresses) -> None:
    if settings.INTEGRATIONS_WEBHOOK_ALLOW_PRIVATE_URLS:
        return
    for _, sockaddr in addresses:
        if not address_is_public(ipaddress.ip_address(sockaddr[0].split("%")[0])):
            raise DestinationRefused(NOT_PUBLIC, permanent=False)


def destination_resolve(url: str) -> Destination:
    """The sender's check: resolve once, check every address, return them to connect to.

    DestinationRefused for a wrong URL (permanent), a name that does not resolve or an address
    that is not public (both may change: the delivery is retried)."""
    destination = _parts(url)
    try:
        addresses = _resolve(destination)
    except (OSError, UnicodeError):
        raise DestinationRefused(f"Cannot resolve {destination.host}.", permanent=False) from None
    if not addresses:
        raise DestinationRefused(f"Cannot resolve {destination.host}.", permanent=False)
    _check(addresses)
    return replace(destination, addresses=tuple(addresses))


def validate_webhook_url(url: str) -> None:
    """Refuse a subscription's URL that could never, or may not, receive a delivery.

    A URL Django's URLValidator refuses is left to it (the field reports it once). A name that
    does not resolve now is accepted: the sender checks again before every attempt."""
    try:
        URLValidator(schemes=list(SCHEMES))(url)
    except ValidationError:
        if urllib.parse.urlsplit(url or "").scheme.lower() not in SCHEMES:
            raise ValidationError("Use an http or https URL.", code="webhook_url") from None
        return
    try:
        destination = _parts(url)
        literal = _literal(destination.host)
        if literal is not None:
            _check([(None, (str(literal),))])
            return
        try:
            addresses = _resolve(destination)
        except (OSError, UnicodeError):
            return
        _check(addresses)
    except DestinationRefused as refused:
        hint = NOT_PUBLIC_HINT if refused.message == NOT_PUBLIC else ""
        raise ValidationError(refused.message + hint, code="webhook_url") from None
