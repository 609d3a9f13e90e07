"""Maps on the pages (issue 7, scope 5; geo/maps.py): where they appear, that they only ever
show approximate places, that the words next to them say the same, that numbers follow the
page's language, and that tiles stay off unless the deployer configures a server.

The map of a page is an inline SVG in kilometres (one decimal) of an equirectangular projection;
the tests read its markers back and compare them with the projected places.
"""

import math
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils import translation
from geopy.distance import geodesic

from config.security_headers import tile_origin
from geo import maps
from geo.models import Municipality, Postcode
from geo.selectors import country_outline, country_outline_cache_clear, postcodes_nearest
from matching.models import HelperProfile
from requests_app.models import approximate_point
from tests.accounts.factories import CoordinatorFactory
from tests.frontend.html_page import Page
from tests.geo.factories import NAMUR, point_at
from tests.matching.factories import HelperProfileFactory, VerifiedHelperFactory
from tests.pages.conftest import client_for
from tests.pages.html import MAX_HTML_BYTES, coordinate_texts
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

LIEGE = Point(5.5707, 50.6412, srid=4326)
MARKER = re.compile(r'<g transform="translate\(([-\d.]+) ([-\d.]+)\)"')
MARKER_GROUP = re.compile(r'<g data-kind="(\w+)">\n(.*?)\n</g>', re.S)
ROUGH_AREA = re.compile(
    r'class="map-rough" data-kind="rough" cx="([-\d.]+)" cy="([-\d.]+)" r="([\d.]+)"'
)


@pytest.fixture(autouse=True)
def _places(places) -> None:
    """Maps need the outline of Belgium and the postcodes (tests/conftest.py)."""


def svg_of(html: str) -> str:
    start = html.index("<svg")
    return html[start : html.index("</svg>\n</div>", start)]


def markers(html: str, kind: str) -> list[tuple[float, float]]:
    """The places of the map's markers of one kind, in the order drawn."""
    return [
        (float(x), float(y))
        for found, group in MARKER_GROUP.findall(html)
        if found == kind
        for x, y in MARKER.findall(group)
    ]


def near(a: tuple[float, float], b: tuple[float, float], km: float = 0.08) -> bool:
    return math.dist(a, b) <= km


def assert_no_coordinate_of(html: str, *points: Point) -> None:
    for point in points:
        for text in coordinate_texts(point, decimals=(2, 3, 4, 5, 6)):
            assert text not in html, f"{text} (of {point.coords}) is in the page"


@pytest.fixture
def helper_and_requests(db):
    helper = VerifiedHelperFactory(location=point_at(NAMUR, km=0.3, bearing=200)).user
    requests = [
        HelpRequestFactory(location=point_at(NAMUR, km=km, bearing=bearing))
        for km, bearing in [(0.8, 30), (2.0, 100), (3.5, 300)]
    ]
    return helper, requests


# --- /helper/ ---------------------------------------------------------------------------------


def test_the_helper_sees_nearby_requests_on_a_map_at_their_approximate_places_only(
    helper_and_requests,
):
    helper, requests = helper_and_requests
    profile = HelperProfile.objects.get(user=helper)

    html = client_for(helper, "en").get("/helper/").content.decode()

    drawn = markers(html, "request")
    assert len(drawn) == len(requests) == html.count('<li class="panel">')
    for help_request in requests:
        approximate = maps.project(help_request.approximate_location)
        exact = maps.project(help_request.location)
        assert any(near(point, approximate) for point in drawn)
        assert not any(near(point, exact, km=0.3) for point in drawn)
    # Their own home: only about where it is (rounded to the kilometre).
    [(home_x, home_y)] = markers(html, "home")
    assert home_x == round(home_x) and home_y == round(home_y)
    assert math.dist((home_x, home_y), maps.project(profile.location)) <= 0.75
    # No coordinate in degrees at all: not the exact places, not the approximate ones.
    assert_no_coordinate_of(
        html,
        profile.location,
        *[help_request.location for help_request in requests],
        *[help_request.approximate_location for help_request in requests],
    )


def test_the_helpers_map_is_an_image_with_a_name_and_the_list_is_its_text(helper_and_requests):
    helper, requests = helper_and_requests

    html = client_for(helper, "en").get("/helper/").content.decode()
    page = Page(html)

    svg = page.find("svg", role="img")
    title_id, description_id = svg.attrs["aria-labelledby"].split()
    assert page.by_id(title_id).text == "Map of the requests near you"
    assert "numbered in the same order" in page.by_id(description_id).text
    # The list under the map is the text alternative: an ordered list, in the map's order
    # (marker n is the place of the n-th request listed), each with a place name.
    assert page.find("ol", **{"class": "nearby-list"})
    listed = [int(pk) for pk in re.findall(r'action="/helper/requests/(\d+)/offer/"', html)]
    by_id = {help_request.pk: help_request for help_request in requests}
    drawn = markers(html, "request")
    assert re.findall(r"<text>(\d+)</text>", html) == ["1", "2", "3"]
    assert len(listed) == len(drawn) == len(requests)
    for pk, point in zip(listed, drawn, strict=True):
        assert near(point, maps.project(by_id[pk].approximate_location))
    assert len(re.findall(r"About \d+\.\d km from your home, near \d{4} Namur", html)) == 3


def test_no_map_without_nearby_requests(db):
    helper = VerifiedHelperFactory().user

    html = client_for(helper, "en").get("/helper/").content.decode()

    assert "No request near you right now" in html
    assert "<svg" not in html


# --- /requests/<id>/ ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["requester", "coordinator", "matched helper"])
def test_a_requests_page_shows_its_rough_area_and_never_its_place(persona):
    help_request = HelpRequestFactory(location=point_at(NAMUR, km=1.2, bearing=75))
    viewer = {
        "requester": lambda: help_request.requester,
        "coordinator": lambda: CoordinatorFactory(),
        "matched helper": lambda: _matched(help_request),
    }[persona]()

    html = client_for(viewer, "en").get(f"/requests/{help_request.pk}/").content.decode()

    [(centre_x, centre_y, radius)] = [
        tuple(float(value) for value in found) for found in ROUGH_AREA.findall(html)
    ]
    assert near((centre_x, centre_y), maps.project(help_request.approximate_location))
    # The real place lies inside the circle drawn (the blur is at most 900 m).
    assert math.dist((centre_x, centre_y), maps.project(help_request.location)) <= radius
    assert "Somewhere within about 1 km of the centre of the circle, near 5" in html
    assert_no_coordinate_of(html, help_request.location, help_request.approximate_location)


@pytest.mark.parametrize(
    "real_place",
    [NAMUR, Point(3.29, 51.35, srid=4326), Point(5.82, 49.68, srid=4326)],
    ids=["Namur", "Knokke", "Arlon"],
)
def test_the_rough_area_drawn_always_holds_the_real_place(real_place):
    # Blur, projection and rounding together, across Belgium (the projection stretches most
    # in the far north and south), for many requests' secret salts.
    for salt in range(300):
        approximate = approximate_point(exact=real_place, salt=salt)
        centre = (round(value, 1) for value in maps.project(approximate))
        assert math.dist(tuple(centre), maps.project(real_place)) <= maps.ROUGH_AREA_RADIUS_KM


def _matched(help_request):
    helper = VerifiedHelperFactory().user
    help_request.status = "matched"
    help_request.matched_helper = helper
    help_request.save()
    return helper


# --- /coordinator/helpers/ ---------------------------------------------------------------------


def test_the_coordinators_see_counts_per_municipality_and_no_place_of_anyone():
    in_namur = [HelpRequestFactory(location=point_at(NAMUR, km=km)) for km in (0.5, 1.5)]
    # Given as a point only (no postcode): counted where the nearest postcode is.
    in_liege = HelpRequestFactory(location=LIEGE, postcode="")
    HelpRequestFactory(status="cancelled")  # not open: not counted
    helpers = [
        VerifiedHelperFactory(location=point_at(NAMUR, km=2.0)),
        VerifiedHelperFactory(location=LIEGE, postcode="4000"),
        VerifiedHelperFactory(location=LIEGE, postcode="4000", active=False),  # paused
    ]
    HelperProfileFactory(location=LIEGE, postcode="4000")  # not verified yet

    html = client_for(CoordinatorFactory(), "en").get("/coordinator/helpers/").content.decode()

    assert "Namur: 2 open requests, 1 active helper" in html
    assert "Liège: 1 open request, 1 active helper" in html
    assert "In all: 3 open requests, 2 active helpers." in html
    # One symbol per municipality, at the municipality's own point.
    namur = Postcode.objects.get(code="5000").municipality
    liege = Postcode.objects.get(code="4000").municipality
    assert sorted(markers(html, "count")) == sorted(
        (round(x, 1), round(y, 1))
        for x, y in (maps.project(namur.location), maps.project(liege.location))
    )
    assert_no_coordinate_of(
        html,
        *[help_request.location for help_request in [*in_namur, in_liege]],
        *[help_request.approximate_location for help_request in [*in_namur, in_liege]],
        *[profile.location for profile in helpers],
    )


def test_the_overview_names_only_the_busiest_municipalities():
    codes = list(
        Postcode.objects.order_by("municipality_id")
        .distinct("municipality_id")
        .values_list("code", flat=True)[: maps.OVERVIEW_MUNICIPALITIES + 3]
    )
    for code in codes:
        place = Postcode.objects.get(code=code)
        HelpRequestFactory(location=place.location, postcode=code)

    html = client_for(CoordinatorFactory(), "en").get("/coordinator/helpers/").content.decode()

    assert len(markers(html, "count")) == maps.OVERVIEW_MUNICIPALITIES
    assert "3 other municipalities are not listed." in html
    assert len(html.encode()) < MAX_HTML_BYTES


# --- Numbers in the page's language ------------------------------------------------------------


def test_distances_are_written_the_way_each_language_writes_numbers(helper_and_requests):
    helper, _requests = helper_and_requests

    english = client_for(helper, "en").get("/helper/").content.decode()
    units, tenths = re.search(r"About (\d+)\.(\d) km from your home", english).groups()

    for language in ["fr", "nl", "de"]:
        html = client_for(helper, language).get("/helper/").content.decode()
        assert f"{units},{tenths} km" in html, language
        assert f"{units}.{tenths} km" not in html, language


@pytest.mark.parametrize(
    ("language", "written"),
    [("en", "0.5 km"), ("fr", "0,5 km"), ("nl", "0,5 km"), ("de", "0,5 km")],
)
def test_the_scale_of_a_map_is_written_in_the_language_of_the_page(language, written):
    with translation.override(language):
        assert maps._scale_bar(maps.Box(0, 0, 2.4, 1.8), 0.1).text == written


# --- The drawing --------------------------------------------------------------------------------


def test_the_svg_writes_kilometres_with_one_decimal_and_never_a_comma(helper_and_requests):
    helper, _requests = helper_and_requests

    for path in ["/helper/", "/coordinator/helpers/"]:
        user = helper if path == "/helper/" else CoordinatorFactory()
        svg = svg_of(client_for(user, "fr").get(path).content.decode())
        drawing = re.sub(r"<(title|desc|text)[^>]*>[^<]*</\1>", "", svg)
        assert not re.search(r"\d\.\d\d", drawing), path
        assert "," not in drawing, path


@pytest.mark.parametrize(
    ("value", "written"),
    [(12.34, "12.3"), (12.0, "12"), (-0.04, "0"), (-1.26, "-1.3"), (0.06, "0.1")],
)
def test_svg_numbers(value, written):
    assert maps.svg_number(value) == written


def test_the_projection_keeps_belgium_in_proportion():
    brussels = Point(4.3517, 50.8503)
    on_the_ellipsoid = geodesic((brussels.y, brussels.x), (NAMUR.y, NAMUR.x)).km

    drawn = math.dist(maps.project(brussels), maps.project(NAMUR))

    # The sketch projection is off by at most about 2 % east-west across Belgium.
    assert drawn == pytest.approx(on_the_ellipsoid, rel=0.02)
    # A box around a projected point, turned back into degrees, holds the point.
    x, y = maps.project(NAMUR)
    west, south, east, north = maps.Box(x - 1, y - 1, 2, 2).degrees()
    assert west < NAMUR.x < east and south < NAMUR.y < north


def test_the_outline_is_simplified_and_computed_once(django_assert_num_queries):
    country_outline_cache_clear()
    with django_assert_num_queries(1):
        outline = country_outline()
    with django_assert_num_queries(0):
        assert country_outline() is outline

    assert outline.num_points < 1000
    assert outline.covers(NAMUR) and outline.covers(LIEGE)
    assert len(maps.outline_path(outline)) < 6_000


def test_the_nearest_postcodes_of_points_come_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(2):
        found = postcodes_nearest(points=[NAMUR, LIEGE])

    assert [postcode.municipality.name_fr for postcode in found] == ["Namur", "Liège"]


# --- Tiles: off by default, one origin allowed when configured ----------------------------------


def test_without_a_tile_server_the_pages_load_no_script_and_no_foreign_image(helper_and_requests):
    helper, _requests = helper_and_requests

    response = client_for(helper, "en").get("/helper/")

    assert settings.MAP_TILE_URL == ""
    # No map script; the only scripts are the site's own (the service worker's registration and
    # the notification bell: static, same origin).
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert all("notifications/bell" in tag or "frontend/app.js" in tag for tag in scripts), scripts
    assert "img-src 'self' data:;" in response.headers["Content-Security-Policy"]


def test_a_configured_tile_server_gets_leaflet_and_its_origin_in_img_src_only(
    helper_and_requests, settings
):
    settings.MAP_TILE_URL = "https://tile.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Example contributors"
    helper, _requests = helper_and_requests

    response = client_for(helper, "en").get("/helper/")
    html = response.content.decode()

    page = Page(html)
    canvas = page.find("div", **{"class": "map-canvas"})
    assert canvas.attrs["data-tile-url"] == settings.MAP_TILE_URL
    assert canvas.attrs["data-attribution"] == "© Example contributors"
    scripts = [script.attrs["src"] for script in page.find_all("script")]
    assert scripts == [
        "/static/vendor/leaflet/leaflet.js",
        "/static/frontend/maps.js",
        "/static/frontend/app.js",
        "/static/notifications/bell.js",
    ]
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["img-src"] == "'self' data: https://tile.example.org"
    assert "tile.example.org" not in policy["script-src"] + policy["connect-src"]
    # The requests' places still only in kilometres, approximate.
    assert_no_coordinate_of(html, *[request.location for request in _requests])


@pytest.mark.parametrize(
    ("template", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png", "http://127.0.0.1:8080"),
        ("", ""),
        ("ftp://tiles.example.org/{z}/{x}/{y}.png", ""),
    ],
)
def test_tile_origin(template, origin):
    assert tile_origin(template) == origin


def test_a_tile_server_without_attribution_stops_the_start():
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MAP_TILE_URL": "https://tile.example.org/{z}/{x}/{y}.png",
        "MAP_TILE_ATTRIBUTION": "",
    }
    started = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.MAP_TILE_URL"],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert started.returncode != 0
    assert "MAP_TILE_ATTRIBUTION must be set" in started.stderr


# --- Size ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_helper_page_with_fifty_requests_and_its_map_stays_under_50_kb(language):
    helper = VerifiedHelperFactory(radius_km=10.0).user
    for number in range(50):
        HelpRequestFactory(location=point_at(NAMUR, km=0.15 * number, bearing=37 * number))

    response = client_for(helper, language).get("/helper/")

    assert response.content.decode().count('<li class="panel">') == 50
    assert len(markers(response.content.decode(), "request")) == 50
    assert len(response.content) < MAX_HTML_BYTES, len(response.content)


def test_municipality_names_follow_the_language():
    municipality = Municipality.objects.get(postcodes__code="4000")

    assert maps.geo_selectors.municipality_name_in(municipality=municipality, language="nl") == (
        "Luik"
    )
    assert maps.geo_selectors.municipality_name_in(municipality=municipality, language="en") == (
        "Liège"
    )
