"""The installable app: a manifest, a service worker at the root that caches static files only,
and an offline page that never shows who is signed in."""

import json

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_app_its_start_and_its_icons_in_the_visitors_language(client):
    response = client.get("/manifest.webmanifest", {"lang": "nl"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Tandem" and manifest["start_url"] == "/"
    assert manifest["display"] == "standalone" and manifest["lang"] == "nl"
    assert manifest["description"] == "Buren die elkaar helpen"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")) is not None


def test_every_page_links_the_manifest_and_loads_the_script_that_registers_the_worker(client):
    html = client.get("/").content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert "/static/frontend/app.js" in html


def test_the_service_worker_is_served_at_the_root_caches_static_files_only(client):
    response = client.get("/sw.js")

    source = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert 'var OFFLINE_URL = "/offline/"' in source
    assert 'var STATIC_PREFIX = "/static/"' in source
    # Only static files go into the cache; pages are fetched and never stored.
    assert source.count("cache.put(") == 2
    assert 'credentials: "omit"' in source


def test_the_offline_page_shows_nobody_even_to_a_signed_in_person(client, requester):
    client.force_login(requester)

    html = client.get("/offline/", {"lang": "en"}).content.decode()

    assert "<h1>No connection</h1>" in html  # the visitor's language first
    for other in ("Pas de connexion", "Geen verbinding", "Keine Verbindung"):
        assert other in html
    assert requester.display_name not in html
    assert "/logout/" not in html
