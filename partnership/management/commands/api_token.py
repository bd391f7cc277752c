"""`manage.py api_token USERNAME [--read-only] [--name NAME] [--expires-in-days N]`: a first API
token without a browser (a new integration account has no password to sign in with). The key is
printed once, on standard output alone, so `KEY=$(manage.py api_token jira-bot)` keeps it."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from partnership.models import TokenScope
from partnership.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print its key (shown once, never stored)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="The user the token acts as (its roles and business unit apply).")
        parser.add_argument("--name", default="command line", help="What the token is for (shown on the profile page).")
        parser.add_argument("--read-only", action="store_true", help="A token that may only read (GET, HEAD, OPTIONS).")
        parser.add_argument("--expires-in-days", type=int, default=None, help="Expire after this many days (default: never).")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user named '{options['username']}'.")
        if not user.is_active:
            raise CommandError(f"The user '{user.username}' is inactive; a token of theirs would be refused.")
        days = options["expires_in_days"]
        if days is not None and days < 1:
            raise CommandError("--expires-in-days must be 1 or more.")
        try:
            token, key = api_token_create(
                user=user,
                name=options["name"],
                scope=TokenScope.READ if options["read_only"] else TokenScope.READ_WRITE,
                expires_in_days=days,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        self.stderr.write(
            f"Created token {token} for {user.username} ({token.get_scope_display().lower()}); "
            "the key below is shown only this once:"
        )
        self.stdout.write(key)
