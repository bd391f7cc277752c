"""Load believable demo data; idempotent; `--scale N` multiplies the volume."""

import importlib
import sys
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from partnership.demo import DEMO_LOGINS

# The project and the pillars first; the extra mile and the score read what these wrote.
PILLARS_FIRST = ("partnership", "listening", "initiatives", "revenue", "steering")

class Command(BaseCommand):
    help = "Create a believable demo company. Running it twice duplicates nothing."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiply the volume (1 = the small demo).")

    def handle(self, *args, scale, **options):
        if scale < 1:
            self.stderr.write("--scale must be at least 1.")
            sys.exit(2)
        started = time.monotonic()
        for label in PILLARS_FIRST:
            module_name = f"{apps.get_app_config(label).name}.demo"
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            self.stdout.write(f"Seeding {label}…")
            module.seed(scale=scale, progress=self._progress)
        # The extra mile lives in partnership/ but follows the pillar apps' pain points: seeded last.
        self.stdout.write("Seeding extra mile…")
        importlib.import_module("partnership.extramile.demo").seed(scale=scale, progress=self._progress)
        if scale > 1 and connection.vendor == "postgresql":
            # Fresh statistics after bulk loads: without them the planner takes the new tables for
            # empty and the score's queries (the history below, the dashboard) run orders slower.
            self.stdout.write("Analysing the tables…")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        # The score's history is computed from everything above: last.
        self.stdout.write("Seeding the score's history…")
        importlib.import_module("partnership.score.demo").seed(scale=scale, progress=self._progress)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f} s."))
        self.stdout.write(f"Demo logins (password: {settings.PORTAL_DEMO_PASSWORD}):")
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {role.label:<20} {username}")

    def _progress(self, what: str, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        end = "\n" if done >= total else ""
        self.stdout.write(f"\r  {what:<16} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=end)
        self.stdout.flush()
