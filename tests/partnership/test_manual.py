"""The manual in docs/ builds strictly, the portal serves it at /manual/ and links to it."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
MKDOCS = Path(sys.executable).with_name("mkdocs")


@pytest.fixture(scope="module")
def built_manual(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--quiet", "-d", str(site / "manual")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return site


def test_the_manual_builds_strictly_with_a_page_per_topic(built_manual):
    pages = {p.parent.name for p in (built_manual / "manual").glob("*/index.html")}
    assert {"configuration", "production", "scaling", "integration", "api", "security", "benchmarks"} <= pages
    assert (built_manual / "manual" / "development" / "architecture" / "index.html").exists()
    # Offline: no page asks a CDN or Google for fonts or scripts.
    home = (built_manual / "manual" / "index.html").read_text()
    assert "fonts.googleapis.com" not in home and "cdn.jsdelivr.net" not in home


@pytest.mark.django_db
def test_the_portal_serves_the_built_manual_and_links_to_it(built_manual, settings, alice):
    settings.WHITENOISE_ROOT = built_manual
    settings.WHITENOISE_INDEX_FILE = True
    settings.PORTAL_MANUAL_URL = "/manual/"
    client = Client()  # a new handler: whitenoise reads its settings when the middleware is made
    manual = client.get("/manual/configuration/")
    assert manual.status_code == 200
    assert b"DJANGO_SECRET_KEY" in b"".join(manual.streaming_content)
    client.force_login(alice)
    assert '<a class="nav-link" href="/manual/">Manual</a>' in client.get("/").content.decode()


@pytest.mark.django_db
def test_without_a_built_manual_there_is_no_dead_link(settings, alice, client):
    settings.PORTAL_MANUAL_URL = ""
    client.force_login(alice)
    assert ">Manual</a>" not in client.get("/").content.decode()
