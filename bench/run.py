#!/usr/bin/env python
"""Benchmarks of the portal at scale, on PostgreSQL (docs/benchmarks.md).

Each measure is a ratio of the portal against a floor measured in the same run, because
absolute times on a shared machine are noise:

1. the dashboard page (server time) against a bare Django view making the reads that produce
   its numbers (the fresh score rollup, the configuration and units by raw SQL, history, pulse,
   "what changed" and attention counts) and returning them as JSON;
2. GET /api/v1/score/ against a bare view returning the rollup's scores of every scope as JSON
   (the configuration and the units read by raw SQL);
3. requests per second of GET /api/v1/pain-points/?page_size=50&business_unit=<id> against a
   bare Django view returning the same rows (the same columns, names, vote count and the
   caller's vote and watch) through values();
4. the reminder sweep against, per kind, its due query plus one bulk INSERT ... ON CONFLICT DO
   NOTHING, with the sweep's peak Python memory (tracemalloc). Both run in transactions that
   are rolled back, so the ledger is left as it was.

Usage (a separate database; writes only the demo data, the cache entry of the score rollup and
rolled-back transactions):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench DJANGO_SECRET_KEY=bench \\
           DJANGO_READ_ENV_FILE=false REDIS_URL=redis://127.0.0.1:6379/13
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/run.py --scale 6668       # seeds 1,000,000 pain points (idempotent), then measures
    .venv/bin/python bench/run.py                     # measures what the database holds
    .venv/bin/python bench/run.py --only list sweep   # some of the measures
    .venv/bin/python bench/run.py --results bench/RESULTS.md   # also writes the results file

Ours and the floor run alternately (timed_pair), so the machine's drift weighs on both alike.
"""

import argparse
import os
import platform
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import QuerySet  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches  # noqa: E402
from django.utils import timezone  # noqa: E402

from partnership.models import BusinessUnit, User  # noqa: E402
from partnership.notifications.models import Reminder  # noqa: E402
from partnership.notifications.registry import registered_kinds  # noqa: E402
from partnership.notifications.services import reminders_sweep  # noqa: E402
from partnership.score import rollup, selectors  # noqa: E402
from partnership.score.registry import Window  # noqa: E402

HOST = "localhost"
MEASURES = ("dashboard", "score", "list", "sweep")


def timed(fn, repeat: int, warmup: int = 2) -> float:
    """Median seconds of `fn()` over `repeat` runs after `warmup` runs."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def timed_pair(ours, floor, repeat: int, warmup: int = 2) -> tuple[float, float]:
    """Median seconds of `ours()` and of `floor()`, run alternately so that the machine's drift
    (other work, cache warmth) weighs on both alike."""
    for _ in range(warmup):
        ours(), floor()
    samples = ([], [])
    for _ in range(repeat):
        for fn, into in ((ours, samples[0]), (floor, samples[1])):
            started = time.perf_counter()
            fn()
            into.append(time.perf_counter() - started)
    return statistics.median(samples[0]), statistics.median(samples[1])


def client_for(username: str) -> Client:
    client = Client(HTTP_HOST=HOST)
    client.force_login(User.objects.get(username=username))
    return client


def get_ok(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}: {response.content[:300]!r}")
    return response


# --- 4: the reminder sweep ---------------------------------------------------------------------


INSERT_SQL = """
INSERT INTO partnership_reminder
    (recipient_id, kind, target_type_id, target_id, period, status, email_state, attempts, last_error, created_at)
SELECT r, %s, %s, t, p, 'pending', 'none', 0, '', %s
FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS due(r, t, p)
ON CONFLICT DO NOTHING
"""


def sweep_floor(now):
    """Per kind: its due query (the indexed claim of due rows) and one bulk INSERT."""
    stamp = timezone.now()
    inserted = 0
    for kind in registered_kinds():
        target_type = ContentType.objects.get_for_model(kind.model, for_concrete_model=True)
        rows = kind.due(now)
        if isinstance(rows, QuerySet):
            rows = rows.order_by()
        recipients, targets, periods = [], [], []
        for row in rows:
            if row["recipient_id"] is not None:
                recipients.append(row["recipient_id"])
                targets.append(str(row["target_id"]))
                periods.append(str(row["period"])[:40])
        if recipients:
            with connection.cursor() as cursor:
                cursor.execute(INSERT_SQL, [kind.key, target_type.pk, stamp, recipients, targets, periods])
                inserted += cursor.rowcount
    return inserted


def rolled_back(fn, *args):
    with transaction.atomic():
        result = fn(*args)
        transaction.set_rollback(True)
    return result


def reminder_columns_ok() -> bool:
    names = {f.column for f in Reminder._meta.concrete_fields}
    return {"recipient_id", "kind", "target_type_id", "target_id", "period", "status", "email_state",
            "attempts", "last_error", "created_at"} <= names


# --- The run -----------------------------------------------------------------------------------


def machine() -> dict:
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "memory": memory,
        "postgresql": pg,
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def sizes() -> dict:
    from listening.models import PainPoint

    return {
        "business units": BusinessUnit.objects.count(),
        "users": User.objects.count(),
        "pain points": PainPoint.objects.count(),
        "open pain points": PainPoint.objects.open().count(),
        "reminders in the ledger": Reminder.objects.count(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, help="run seed_demo --scale N first (idempotent)")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per measure (median)")
    parser.add_argument("--requests", type=int, default=200, help="requests per throughput measure")
    parser.add_argument("--results", help="write the results as Markdown to this file")
    parser.add_argument("--only", nargs="+", choices=MEASURES, default=list(MEASURES),
                        help="run only these measures (default: all)")
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        raise SystemExit("The benchmarks run on PostgreSQL: set DATABASE_URL (see bench/run.py).")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    settings.ROOT_URLCONF = "bench.urls"
    clear_url_caches()

    if args.scale:
        started = time.monotonic()
        call_command("seed_demo", scale=args.scale)
        print(f"seed_demo --scale {args.scale}: {time.monotonic() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    data = sizes()
    print("Data:", ", ".join(f"{v:,} {k}" for k, v in data.items()))
    rows, notes = [], []

    if {"dashboard", "score"} & set(args.only):
        # The rollup, as the beat task computes it (its time is what every page would pay live).
        timings = rollup.score_rollup_refresh()
        notes.append("score rollup refresh (beat task, all units): "
                     + ", ".join(f"{d}-day window {s * 1000:.0f} ms" for d, s in timings.items()))
        window = Window.last_days(90, timezone.localdate())
        live = timed(lambda: selectors.gather_measures(window, list(BusinessUnit.objects.filter(is_active=True))), 3, 1)
        notes.append(f"measuring the 90-day window live (what the rollup saves each request): {live * 1000:.0f} ms")
        # Both floors go through the same Django stack (bench/urls.py); the rollup must be fresh.
        cio = client_for("carla")
    if "dashboard" in args.only:
        ours, floor = timed_pair(
            lambda: get_ok(cio, "/dashboard/?window=90"), lambda: get_ok(cio, "/bench/bare-dashboard/?window=90"),
            args.repeat,
        )
        rows.append(("dashboard page, server time (CIO, all units)", ours, floor, "ms", "<= 1.3x"))
    if "score" in args.only:
        ours, floor = timed_pair(
            lambda: get_ok(cio, "/api/v1/score/?window=90"), lambda: get_ok(cio, "/bench/bare-score/?window=90"),
            args.repeat,
        )
        rows.append(("GET /api/v1/score/ (all units)", ours, floor, "ms", "<= 1.3x"))
    if "list" in args.only:
        measure_list(args, rows, notes)
    if "sweep" in args.only:
        measure_sweep(args, rows, notes)

    print_table(rows, notes)
    if args.results:
        write_results(Path(args.results), rows, notes, data, args)


def measure_list(args, rows, notes):
    """3: the API list against a bare values() view, in requests per second."""
    unit = BusinessUnit.objects.get(slug="sales")
    it = client_for("ivan")
    api_url = f"/api/v1/pain-points/?page_size=50&business_unit={unit.pk}"
    bare_url = f"/bench/bare-pain-points/?page_size=50&business_unit={unit.pk}"
    first = get_ok(it, api_url)
    estimated = first.headers.get("X-Total-Count-Estimated") == "true"
    assert len(first.json()["results"]) == len(get_ok(it, bare_url).json()["results"])

    def rps(url):
        get_ok(it, url)
        started = time.perf_counter()
        for _ in range(args.requests):
            it.get(url)
        return args.requests / (time.perf_counter() - started)

    rounds = [(rps(api_url), rps(bare_url)) for _ in range(5)]  # alternately, as timed_pair does
    ours_rps, floor_rps = statistics.median(r[0] for r in rounds), statistics.median(r[1] for r in rounds)
    rows.append(("GET /api/v1/pain-points/ page of 50, business_unit filter (req/s)", ours_rps, floor_rps, "req/s", ">= 0.5x"))
    notes.append(f"pain-point list: count {first.json()['count']:,} ({'estimated' if estimated else 'exact'}; "
                 f"estimate above {settings.API_COUNT_ESTIMATE_THRESHOLD:,} rows)")


def measure_sweep(args, rows, notes):
    """4: the reminder sweep against its floor, each rolled back, with its peak memory."""
    if reminder_columns_ok():
        now = timezone.now()
        created = rolled_back(lambda: reminders_sweep(now=now))
        tracemalloc.start()
        rolled_back(lambda: reminders_sweep(now=now))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        inserted = rolled_back(sweep_floor, now)
        ours, floor = timed_pair(
            lambda: rolled_back(lambda: reminders_sweep(now=now)), lambda: rolled_back(sweep_floor, now),
            max(3, args.repeat // 3), 1,
        )
        rows.append((f"reminder sweep ({created:,} due rows inserted)", ours, floor, "ms", "<= 2x"))
        notes.append(f"reminder sweep: peak Python memory {peak / 1024 / 1024:.1f} MiB "
                     f"({peak / max(created, 1):.0f} bytes a due row; the floor inserted {inserted:,} rows)")
    else:
        notes.append("reminder sweep: skipped (the ledger's columns changed; update bench/run.py)")


def _fmt(value, unit):
    return f"{value:,.0f} req/s" if unit == "req/s" else f"{value * 1000:,.1f} ms"


def _ratio(ours, floor):
    return ours / floor if floor else float("inf")


def print_table(rows, notes):
    header = ("measure", "ours", "floor", "ratio", "goal")
    table = [header] + [(m, _fmt(o, u), _fmt(f, u), f"{_ratio(o, f):.2f}x", g) for m, o, f, u, g in rows]
    widths = [max(len(r[i]) for r in table) for i in range(5)]
    print()
    for i, row in enumerate(table):
        print("  ".join(cell.ljust(widths[n]) for n, cell in enumerate(row)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print()
    for note in notes:
        print("-", note)


def write_results(path, rows, notes, data, args):
    info = machine()
    lines = [
        "# Benchmark results",
        "",
        f"Run of `bench/run.py` on {timezone.localtime():%Y-%m-%d %H:%M} "
        f"({args.repeat} timed runs per measure, ours and floor alternately, median; {args.requests} requests per "
        "throughput run, 5 rounds alternately, median).",
        "",
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory']} memory, PostgreSQL {info['postgresql']}, "
        f"Python {info['python']}, Django {info['django']}; the database, the web code and the benchmark share the machine.",
        "",
        "Data: " + ", ".join(f"{v:,} {k}" for k, v in data.items()) + ".",
        "",
        "| measure | ours | floor | ratio | goal |",
        "| --- | --- | --- | --- | --- |",
        *[f"| {m} | {_fmt(o, u)} | {_fmt(f, u)} | {_ratio(o, f):.2f}x | {g} |" for m, o, f, u, g in rows],
        "",
        *[f"- {note}" for note in notes],
        "",
    ]
    path.write_text("\n".join(lines))
    print(f"\nWrote {path}")


if __name__ == "__main__":
    main()
