"""Integration with ticketing systems: signed inbound webhooks, idempotent API writes and
outbound webhook subscriptions (README section “Integration with ticketing systems”)."""
