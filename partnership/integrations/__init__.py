"""Integration with ticketing systems: signed inbound webhooks, idempotent API writes and
outbound webhook subscriptions (docs/integration.md)."""
