"""`manage.py integration_source add|list|rotate-secret|disable|enable`: the ticketing systems
allowed to post webhooks (docs/integration.md)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from partnership.integrations.choices import SourceKind
from partnership.integrations.models import IntegrationSource
from partnership.integrations.services import (
    integration_source_add,
    integration_source_rotate_secret,
    integration_source_set_enabled,
)
from partnership.models import BusinessUnit


class Command(BaseCommand):
    help = "Manage the integration sources (ticketing systems) that may post signed webhooks."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="Register a source.")
        add.add_argument("--name", required=True, help="The {source} part of /api/v1/integrations/{source}/webhook/.")
        add.add_argument("--kind", required=True, choices=SourceKind.values)
        add.add_argument("--secret", required=True, help="The shared signing secret (16 characters or more).")
        add.add_argument("--business-unit", help="Slug of the unit new pain points land in.")
        add.add_argument("--client", help="User name of the integration client account that acts for the source over the API.")
        actions.add_parser("list", help="List the sources.")
        rotate = actions.add_parser("rotate-secret", help="Switch to a new secret; the old one stays valid a while.")
        rotate.add_argument("--name", required=True)
        rotate.add_argument("--secret", required=True)
        rotate.add_argument(
            "--overlap-hours", type=int, default=None,
            help="How long the previous secret stays valid (default INTEGRATIONS_SECRET_OVERLAP_HOURS; 0: not at all).",
        )
        for verb in ("disable", "enable"):
            sub = actions.add_parser(verb, help=f"{verb.title()} a source (a disabled source answers 404).")
            sub.add_argument("--name", required=True)

    def handle(self, *args, **options):
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc

    def _source(self, name):
        source = IntegrationSource.objects.filter(name=name).first()
        if source is None:
            raise CommandError(f"There is no integration source named '{name}'.")
        return source

    def _add(self, options):
        unit = None
        if options.get("business_unit"):
            unit = BusinessUnit.objects.filter(slug=options["business_unit"]).first()
            if unit is None:
                raise CommandError(f"There is no business unit '{options['business_unit']}'.")
        client = None
        if options.get("client"):
            client = get_user_model().objects.filter(username=options["client"]).first()
            if client is None:
                raise CommandError(f"There is no user '{options['client']}'.")
        source = integration_source_add(
            name=options["name"], kind=options["kind"], secret=options["secret"], business_unit=unit, client=client
        )
        self.stdout.write(f"Added {source}: POST /api/v1/integrations/{source.name}/webhook/")

    def _list(self, options):
        sources = IntegrationSource.objects.select_related("business_unit")
        if not sources:
            self.stdout.write("No integration sources yet.")
        for source in sources:
            previous = " +previous secret" if len(source.valid_secrets()) > 1 else ""
            self.stdout.write(
                f"{source.name}\t{source.kind}\t{'enabled' if source.enabled else 'disabled'}\t"
                f"{source.business_unit.slug if source.business_unit else '-'}{previous}"
            )

    def _rotate_secret(self, options):
        source = integration_source_rotate_secret(
            source=self._source(options["name"]), secret=options["secret"], overlap_hours=options["overlap_hours"]
        )
        until = source.previous_secret_valid_until
        self.stdout.write(
            f"Rotated the secret of {source.name}; "
            + (f"the previous one stays valid until {until:%Y-%m-%d %H:%M %Z}." if until else "the previous one is no longer valid.")
        )

    def _disable(self, options):
        integration_source_set_enabled(source=self._source(options["name"]), enabled=False)
        self.stdout.write(f"Disabled {options['name']}.")

    def _enable(self, options):
        integration_source_set_enabled(source=self._source(options["name"]), enabled=True)
        self.stdout.write(f"Enabled {options['name']}.")
