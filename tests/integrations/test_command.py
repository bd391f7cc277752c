"""`manage.py integration_source add|list|rotate-secret|disable|enable`."""

import io

import pytest
from django.core.management import CommandError, call_command

from partnership.integrations.models import IntegrationSource
from partnership.roles import is_it_staff

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("integration_source", *args, stdout=out)
    return out.getvalue()


def test_add_registers_a_source_with_its_unit_and_a_service_account(sales):
    output = run("add", "--name", "jira", "--kind", "jira", "--secret", "s" * 20, "--business-unit", "sales")
    assert "/api/v1/integrations/jira/webhook/" in output
    source = IntegrationSource.objects.get()
    assert (source.kind, source.business_unit, source.secret, source.enabled) == ("jira", sales, "s" * 20, True)
    assert source.actor.username == "integration-jira"
    assert not source.actor.is_active and not source.actor.has_usable_password()
    assert is_it_staff(source.actor)


def test_add_refuses_a_short_secret_an_unknown_unit_and_a_duplicate_name(db):
    with pytest.raises(CommandError, match="at least 16"):
        run("add", "--name", "jira", "--kind", "jira", "--secret", "short")
    with pytest.raises(CommandError, match="no business unit"):
        run("add", "--name", "jira", "--kind", "jira", "--secret", "s" * 20, "--business-unit", "nope")
    run("add", "--name", "jira", "--kind", "jira", "--secret", "s" * 20)
    with pytest.raises(CommandError, match="already exists"):
        run("add", "--name", "jira", "--kind", "zendesk", "--secret", "s" * 20)
    assert IntegrationSource.objects.count() == 1


def test_list_shows_the_sources_without_their_secrets(db):
    run("add", "--name", "zendesk", "--kind", "zendesk", "--secret", "z" * 20)
    output = run("list")
    assert "zendesk\tzendesk\tenabled\t-" in output
    assert "z" * 20 not in output


def test_rotate_secret_keeps_the_previous_one_for_the_overlap(db):
    run("add", "--name", "sn", "--kind", "servicenow", "--secret", "a" * 20)
    output = run("rotate-secret", "--name", "sn", "--secret", "b" * 20, "--overlap-hours", "2")
    assert "stays valid until" in output
    source = IntegrationSource.objects.get()
    assert source.valid_secrets() == ["b" * 20, "a" * 20]
    assert "+previous secret" in run("list")
    run("rotate-secret", "--name", "sn", "--secret", "c" * 20, "--overlap-hours", "0")
    assert IntegrationSource.objects.get().valid_secrets() == ["c" * 20]


def test_disable_and_enable(db):
    run("add", "--name", "jira", "--kind", "jira", "--secret", "s" * 20)
    run("disable", "--name", "jira")
    assert IntegrationSource.objects.get().enabled is False
    run("enable", "--name", "jira")
    assert IntegrationSource.objects.get().enabled is True
    with pytest.raises(CommandError, match="no integration source named 'other'"):
        run("disable", "--name", "other")


def test_an_admin_adds_a_source_in_the_admin(client, root, sales):
    client.force_login(root)
    response = client.post(
        "/admin/integrations/integrationsource/add/",
        {"name": "helpdesk", "kind": "generic", "business_unit": sales.pk, "enabled": "on", "new_secret": "x" * 24},
    )
    assert response.status_code == 302, response.content
    source = IntegrationSource.objects.get()
    assert (source.secret, source.actor.username) == ("x" * 24, "integration-helpdesk")
    response = client.post(
        f"/admin/integrations/integrationsource/{source.pk}/change/",
        {"business_unit": sales.pk, "enabled": "on", "new_secret": "y" * 24},
    )
    assert response.status_code == 302
    assert IntegrationSource.objects.get().valid_secrets() == ["y" * 24, "x" * 24]
