"""Maps on the pages, where a map helps: a helper's nearby requests (/helper/), a request's rough
area (/requests/<id>/) and the coordinators' overview (/coordinator/helpers/).

Each map is drawn on the server as a small inline SVG (frontend/includes/map.html) next to a text
alternative that says the same in words; the words are the primary content and the map an
enhancement, so a page works without JavaScript, without images and without a tile server. When
the deployer configures one (settings.MAP_TILE_URL), frontend/static/frontend/maps.js swaps in a
Leaflet map on those tiles, built from the very points of the SVG, once the first tile arrived.

Privacy (CONTRACT.md, "Coordinates"): nothing exact ever reaches a map.
- A request is drawn at its approximate place (500–900 m from the real one), never `location`.
- A helper's home is never drawn: a helper sees the point of their postcode as "your area";
  coordinators see counts per municipality.
- Place names are those of public postcode and municipality points.
The SVG holds kilometres rounded to 0.1 (100 m), not degrees; maps.js turns them back into degrees
with the projection below.

Projection: equirectangular, true to scale at 50.5° N (the middle of Belgium), in kilometres, with
its origin north-west of Belgium so that x grows eastwards and y southwards as in SVG. Across
Belgium east-west distances are off by at most 2 %, invisible on a sketch map.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db.models import Count, F, FloatField, Func, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.templatetags.static import static
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.languages import active_language
from geo import selectors as geo_selectors
from geo.models import APPROXIMATE_OFFSET_METRES, Postcode

# The projection (shared with frontend/static/frontend/maps.js through data attributes).
ORIGIN_LONGITUDE = 2.5
ORIGIN_LATITUDE = 51.55
KM_PER_DEGREE_LATITUDE = 111.2
KM_PER_DEGREE_LONGITUDE = 70.73  # 111.2 × cos(50.5°)

# Local maps are this much wider than tall, and at least this wide (km).
ASPECT = 4 / 3
MIN_LOCAL_WIDTH_KM = 8.0
# Room left around what a map must show, as a share of its size.
PADDING = 0.1
# The circle of a request's rough area, around its approximate place: the real place is at most
# 900 m away (geo.models.APPROXIMATE_OFFSET_METRES), drawn up to 2 % longer by the
# projection and 71 m off by rounding to 0.1 km, so it is always inside a 1 km circle.
ROUGH_AREA_RADIUS_KM = math.ceil(APPROXIMATE_OFFSET_METRES[1] * 1.02 / 1000.0 + 0.071)
# A helper's reach is drawn whole up to this radius (km); a larger one would shrink the dots.
MAX_REACH_SHOWN_KM = 10.0
# Place names drawn for orientation on a local map.
PLACE_LABELS = 6
# The overview shows the municipalities with most open requests (map and list alike).
OVERVIEW_MUNICIPALITIES = 40
SCALE_BAR_STEPS_KM = (0.5, 1, 2, 5, 10, 20, 50, 100)


# --- Projection and drawing -------------------------------------------------------------------


def project(point: Point) -> tuple[float, float]:
    """(x, y) in kilometres east and south of the origin, for a WGS 84 point."""
    return (
        (point.x - ORIGIN_LONGITUDE) * KM_PER_DEGREE_LONGITUDE,
        (ORIGIN_LATITUDE - point.y) * KM_PER_DEGREE_LATITUDE,
    )


def svg_number(value: float) -> str:
    """A length in km as the SVG writes it: one decimal at most ("12.3", "12", "-0.4").

    Never more than one decimal, so no text of the map can be mistaken for (or be) a coordinate
    in degrees; numbers are separated by spaces, never commas, for the same reason.
    """
    tenths = round(value * 10)
    if tenths % 10 == 0:
        return str(tenths // 10)
    return f"{tenths / 10:.1f}"


def outline_path(outline: Iterable[Polygon]) -> str:
    """SVG path data of polygons: one subpath per ring, relative moves in 0.1 km."""
    subpaths = []
    for polygon in outline:
        for ring in polygon:
            tenths = []
            for longitude, latitude in ring.coords:
                x, y = project(Point(longitude, latitude))
                point = (round(x * 10), round(y * 10))
                if not tenths or tenths[-1] != point:
                    tenths.append(point)
            if len(tenths) < 4:
                continue
            start_x, start_y = tenths[0]
            steps = [
                f"{svg_number((x - px) / 10)} {svg_number((y - py) / 10)}"
                for (px, py), (x, y) in zip(tenths, tenths[1:-1], strict=False)
            ]
            subpaths.append(
                f"M{svg_number(start_x / 10)} {svg_number(start_y / 10)}l{' '.join(steps)}z"
            )
    return "".join(subpaths)


@dataclass(frozen=True)
class Box:
    """A rectangle in km (x east, y south)."""

    left: float
    top: float
    width: float
    height: float

    @classmethod
    def around(cls, extents: Iterable[tuple[float, float, float]]) -> Box:
        """The smallest box holding every (x, y, radius) disc."""
        extents = list(extents)
        left = min(x - radius for x, _, radius in extents)
        right = max(x + radius for x, _, radius in extents)
        top = min(y - radius for _, y, radius in extents)
        bottom = max(y + radius for _, y, radius in extents)
        return cls(left, top, right - left, bottom - top)

    def padded(self, *, share: float = PADDING, min_width: float = 0.0, aspect=None) -> Box:
        """Grown by `share` on every side, at least `min_width` wide, and, given an aspect
        (width / height), widened or heightened around its centre to that shape."""
        width = max(self.width * (1 + 2 * share), min_width)
        height = self.height * (1 + 2 * share)
        if aspect:
            width, height = max(width, height * aspect), max(height, width / aspect)
        centre_x, centre_y = self.left + self.width / 2, self.top + self.height / 2
        return Box(centre_x - width / 2, centre_y - height / 2, width, height)

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x <= self.left + self.width and self.top <= y <= self.top + self.height

    def view_box(self) -> str:
        return " ".join(
            svg_number(value) for value in (self.left, self.top, self.width, self.height)
        )

    def degrees(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) in degrees."""
        west = ORIGIN_LONGITUDE + self.left / KM_PER_DEGREE_LONGITUDE
        east = ORIGIN_LONGITUDE + (self.left + self.width) / KM_PER_DEGREE_LONGITUDE
        north = ORIGIN_LATITUDE - self.top / KM_PER_DEGREE_LATITUDE
        south = ORIGIN_LATITUDE - (self.top + self.height) / KM_PER_DEGREE_LATITUDE
        return west, south, east, north


@dataclass(frozen=True)
class Marker:
    """A symbol at (x, y). `kind` "request": a numbered disc; "home": a square (about where
    the helper who reads the page lives); "count": an overview disc (open requests) and/or
    square (helpers)."""

    x: str
    y: str
    kind: str
    number: str = ""
    # Disc radius and square path, in km, as drawn ("" for none).
    radius: str = ""
    square: str = ""
    requests: int = 0
    helpers: int = 0


def square_path(half_side: float) -> str:
    """Path data of a square centred on the marker's own origin (markers are translated)."""
    side = svg_number(2 * half_side)
    corner = svg_number(-half_side)
    return f"M{corner} {corner}h{side}v{side}h-{side}z"


@dataclass(frozen=True)
class Circle:
    """An area: "rough" (a request's rough area) or "reach" (how far a helper goes, dashed)."""

    x: str
    y: str
    radius: str
    kind: str


@dataclass(frozen=True)
class Label:
    x: str
    y: str
    text: str


@dataclass(frozen=True)
class Inset:
    """Belgium in a corner of a local map, with where the map is."""

    x: str
    y: str
    width: str
    height: str
    view_box: str
    outline: str
    frame_view: tuple[str, str, str, str]


@dataclass(frozen=True)
class ScaleBar:
    x: str
    y: str
    text_y: str
    length: str
    text: str


@dataclass(frozen=True)
class MapView:
    """Everything frontend/includes/map.html draws; numbers already written for the SVG."""

    name: str
    title: str
    description: str
    legend: list[str]
    # The text alternative's lines, when the page does not list the places itself.
    items: list[str]
    box: Box
    view_box: str
    outline: str
    markers: list[Marker] = field(default_factory=list)
    circles: list[Circle] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    inset: Inset | None = None
    scale_bar: ScaleBar | None = None
    font_size: str = "1"
    footnote: str = ""
    # For a page that lists the places itself (/helper/): "5100 Namur" per place, in order.
    places: list[str] = field(default_factory=list)

    @property
    def tiles(self) -> dict | None:
        """What maps.js needs for a tiled map, or None when no tile server is configured (or
        Leaflet's files are missing: the SVG map stays, nothing breaks)."""
        if not settings.MAP_TILE_URL:
            return None
        try:
            script, stylesheet = (
                static("vendor/leaflet/leaflet.js"),
                static("vendor/leaflet/leaflet.css"),
            )
        except ValueError:  # not in the manifest: Leaflet was not installed before collectstatic
            return None
        return {
            "url": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "script": script,
            "stylesheet": stylesheet,
            "projection": " ".join(
                str(value)
                for value in (
                    ORIGIN_LONGITUDE,
                    ORIGIN_LATITUDE,
                    KM_PER_DEGREE_LONGITUDE,
                    KM_PER_DEGREE_LATITUDE,
                )
            ),
        }


def _xy(point: Point) -> tuple[float, float]:
    return project(point)


def _scale_bar(box: Box, font_size: float) -> ScaleBar:
    wanted = box.width / 4
    length = max(step for step in SCALE_BAR_STEPS_KM if step <= wanted) if wanted >= 0.5 else 0.5
    text = _("%(distance)s km") % {"distance": number_format(length, decimal_pos=None)}
    bar_y = box.top + box.height - font_size * 0.8
    return ScaleBar(
        x=svg_number(box.left + box.width * 0.04),
        y=svg_number(bar_y),
        text_y=svg_number(bar_y - font_size * 0.4),
        length=svg_number(length),
        text=text,
    )


def _inset(box: Box, outline: str, outline_box: Box) -> Inset:
    width = box.width * 0.26
    height = width * outline_box.height / outline_box.width
    margin = box.width * 0.02
    # The frame drawn at least 3 % of Belgium wide, so that it stays visible.
    least = outline_box.width * 0.03
    shown = Box(
        box.left + box.width / 2 - max(box.width, least) / 2,
        box.top + box.height / 2 - max(box.height, least) / 2,
        max(box.width, least),
        max(box.height, least),
    )
    return Inset(
        x=svg_number(box.left + box.width - width - margin),
        y=svg_number(box.top + margin),
        width=svg_number(width),
        height=svg_number(height),
        view_box=outline_box.view_box(),
        outline=outline,
        frame_view=(
            svg_number(shown.left),
            svg_number(shown.top),
            svg_number(shown.width),
            svg_number(shown.height),
        ),
    )


def _outline_box(outline: MultiPolygon) -> Box:
    west, south, east, north = outline.extent
    left, top = project(Point(west, north))
    right, bottom = project(Point(east, south))
    return Box(left, top, right - left, bottom - top).padded(share=0.02)


def _country() -> tuple[str, Box | None]:
    """The whole outline of Belgium (path data) and its box."""
    outline = geo_selectors.country_outline()
    if outline is None:
        return "", None
    return outline_path(outline), _outline_box(outline)


def _clipped(box: Box) -> str:
    """The outline of Belgium inside `box` only (path data): a local map draws the border only
    where it is on the map, so its size does not depend on the length of the border."""
    outline = geo_selectors.country_outline()
    if outline is None:
        return ""
    frame = Polygon.from_bbox(box.padded(share=0.05).degrees())
    frame.srid = outline.srid
    inside = outline.intersection(frame)
    polygons = [part for part in _polygons(inside)]
    return outline_path(polygons)


def _polygons(geometry) -> list[Polygon]:
    if geometry.empty:
        return []
    if isinstance(geometry, Polygon):
        return [geometry]
    return [part for member in geometry for part in _polygons(member)]


def _thumbnail() -> tuple[str, Box | None]:
    """A coarse outline of Belgium (path data) and its box, for the corner of a local map."""
    outline = geo_selectors.country_outline(tolerance=geo_selectors.THUMBNAIL_TOLERANCE_DEGREES)
    if outline is None:
        return "", None
    return outline_path(outline), _outline_box(outline)


def _place_text(postcode: Postcode | None) -> str:
    """ "5100 Namur": a postcode and its municipality, in the page's language."""
    if postcode is None:
        return ""
    name = geo_selectors.municipality_name_in(
        municipality=postcode.municipality, language=active_language()
    )
    return f"{postcode.code} {name}"


def _labels(box: Box, font_size: float, inset: Inset | None) -> list[Label]:
    """Names of the municipalities whose point is on the map, for orientation: those that fit
    whole inside the map and clear of the thumbnail in its corner."""
    west, south, east, north = box.degrees()
    labels = []
    for municipality in geo_selectors.municipalities_within(
        west=west, south=south, east=east, north=north, limit=PLACE_LABELS
    ):
        x, y = _xy(municipality.location)
        text = geo_selectors.municipality_name_in(
            municipality=municipality, language=active_language()
        )
        # About how much room the text takes (average glyph ~0.55 em, drawn at 0.9 em).
        half_width = len(text) * 0.55 * 0.9 * font_size / 2
        left, right, top = x - half_width, x + half_width, y - font_size
        if left < box.left or right > box.left + box.width or top < box.top:
            continue
        if y > box.top + box.height - 2 * font_size:  # the scale bar's row
            continue
        if (
            inset is not None
            and right > float(inset.x)
            and top < float(inset.y) + float(inset.height)
        ):
            continue
        labels.append(Label(x=svg_number(x), y=svg_number(y), text=text))
    return labels


def _local_map(
    *,
    name: str,
    box: Box,
    title: str,
    description: str,
    legend: list[str],
    items: list[str],
    markers: list[Marker] | None = None,
    circles: list[Circle] | None = None,
    footnote: str = "",
    places: list[str] | None = None,
) -> MapView:
    thumbnail, thumbnail_box = _thumbnail()
    font_size = box.width * 0.034
    inset = _inset(box, thumbnail, thumbnail_box) if thumbnail_box is not None else None
    labels = _labels(box, font_size, inset)
    return MapView(
        name=name,
        title=title,
        description=description,
        legend=legend,
        items=items,
        box=box,
        view_box=box.view_box(),
        outline=_clipped(box),
        markers=markers or [],
        circles=circles or [],
        labels=labels,
        inset=inset,
        scale_bar=_scale_bar(box, font_size),
        font_size=svg_number(max(font_size, 0.1)),
        footnote=footnote,
        places=places or [],
    )


# --- The helper's nearby requests -------------------------------------------------------------


def nearby_requests_map(*, profile, nearby: Sequence) -> MapView | None:
    """The map of /helper/: the requests of `nearby` (matching.selectors.NearbyRequest, nearest
    first) at their approximate places, numbered as the page lists them, and about where the
    helper lives (their home rounded to the kilometre: only they see this page); None without
    requests. The page's own list is the text alternative; `places` gives it "near 5100 Namur"
    for each request."""
    if profile is None or not nearby:
        return None
    near = geo_selectors.postcodes_nearest(points=[item.location for item in nearby])
    points = [_xy(item.location) for item in nearby]
    home_x, home_y = (round(value) for value in _xy(profile.location))
    # The whole reach when it is not too large to keep the dots apart.
    reach = profile.radius_km if profile.radius_km <= MAX_REACH_SHOWN_KM else 0.0
    box = Box.around([(x, y, 0.0) for x, y in points] + [(home_x, home_y, reach)]).padded(
        min_width=MIN_LOCAL_WIDTH_KM, aspect=ASPECT
    )
    radius = _marker_radius(box)
    markers = [
        Marker(x=svg_number(home_x), y=svg_number(home_y), kind="home", square=square_path(radius))
    ]
    markers += [
        Marker(
            x=svg_number(x),
            y=svg_number(y),
            kind="request",
            number=str(number),
            radius=svg_number(radius),
        )
        for number, (x, y) in enumerate(points, start=1)
    ]
    return _local_map(
        name="nearby-map",
        box=box,
        title=_("Map of the requests near you"),
        description=_(
            "Approximate places of the requests listed below the map, numbered in the same order."
        ),
        legend=[
            _(
                "Numbered dots: the requests listed below, at their approximate place. Square: "
                "about where you live. Dashed circle: how far you are ready to go."
            )
        ],
        items=[],
        markers=markers,
        circles=[
            Circle(
                x=svg_number(home_x),
                y=svg_number(home_y),
                radius=svg_number(profile.radius_km),
                kind="reach",
            )
        ],
        places=[_place_text(postcode) for postcode in near],
    )


def _marker_radius(box: Box) -> float:
    return max(box.width * 0.028, 0.1)


# --- One request's rough area -----------------------------------------------------------------


def request_area_map(*, help_request) -> MapView:
    """The map of /requests/<id>/: the rough area around the request's approximate place, the
    same for everyone who may see the request (the requester included: it is what others see)."""
    x, y = _xy(help_request.approximate_location)
    near = geo_selectors.postcodes_nearest(points=[help_request.approximate_location])[0]
    box = Box.around([(x, y, ROUGH_AREA_RADIUS_KM)]).padded(
        min_width=MIN_LOCAL_WIDTH_KM, aspect=ASPECT
    )
    radius = number_format(ROUGH_AREA_RADIUS_KM)
    if near is not None:
        area_text = _(
            "Somewhere within about %(radius)s km of the centre of the circle, near %(place)s."
        ) % {"radius": radius, "place": _place_text(near)}
    else:
        area_text = _("Somewhere within about %(radius)s km of the centre of the circle.") % {
            "radius": radius
        }
    return _local_map(
        name="area-map",
        box=box,
        title=_("Map of the rough area of this request"),
        description=area_text,
        legend=[_("Circle: the rough area. Nobody sees the exact address on a map.")],
        items=[area_text],
        circles=[
            Circle(
                x=svg_number(x),
                y=svg_number(y),
                radius=svg_number(ROUGH_AREA_RADIUS_KM),
                kind="rough",
            )
        ],
    )


# --- The coordinators' overview ---------------------------------------------------------------


def _nearest_postcode_code(point_field: str) -> Subquery:
    # `<->` (KNN on the GiST index of the postcodes' points). GeometryDistance cannot take an
    # OuterRef, hence the plain Func.
    distance = Func(
        F("location"),
        OuterRef(point_field),
        arg_joiner=" <-> ",
        template="%(expressions)s",
        output_field=FloatField(),
    )
    nearest = Postcode.objects.annotate(map_distance=distance).order_by("map_distance")
    return Subquery(nearest.values("code")[:1])


def _counts_by_postcode(queryset: QuerySet, point_field: str) -> Counter[str]:
    """How many rows per postcode: their own, else the one whose point is nearest theirs."""
    rows = (
        queryset.annotate(
            map_postcode=Coalesce(
                NullIf("postcode", Value("")), _nearest_postcode_code(point_field)
            )
        )
        .values("map_postcode")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return Counter({row["map_postcode"]: row["count"] for row in rows if row["map_postcode"]})


def _by_municipality(counts: Counter[str], postcodes: dict[str, Postcode]) -> Counter[str]:
    found: Counter[str] = Counter()
    for code, count in counts.items():
        if code in postcodes:
            found[postcodes[code].municipality_id] += count
    return found


def coordinator_overview_map(*, open_requests: QuerySet, helpers: QuerySet) -> MapView:
    """Open requests and active, verified helpers counted per municipality, on a map of Belgium
    and in words: where help is asked, and where helpers are missing. Counts only: no person's
    place, not even an approximate one.

    `open_requests` are help requests (counted at their `approximate_location`), `helpers` helper
    profiles (counted at their home `location`, which decides only the municipality they are
    counted in; it is not shown). The callers choose which (ranking.page_views).
    """
    requests = _counts_by_postcode(open_requests, "approximate_location")
    helpers = _counts_by_postcode(helpers, "location")
    postcodes = geo_selectors.postcodes_get(codes=set(requests) | set(helpers))
    requests_by_place = _by_municipality(requests, postcodes)
    helpers_by_place = _by_municipality(helpers, postcodes)
    municipalities = {
        postcode.municipality_id: postcode.municipality for postcode in postcodes.values()
    }
    language = active_language()
    ranked = sorted(
        municipalities.values(),
        key=lambda place: (
            -requests_by_place[place.pk],
            -helpers_by_place[place.pk],
            geo_selectors.municipality_name_in(municipality=place, language=language),
        ),
    )
    shown, rest = ranked[:OVERVIEW_MUNICIPALITIES], ranked[OVERVIEW_MUNICIPALITIES:]
    outline, outline_box = _country()
    box = outline_box or Box(0, 0, 280, 230)
    markers, items = [], []
    for place in shown:
        x, y = _xy(place.location)
        request_count, helper_count = requests_by_place[place.pk], helpers_by_place[place.pk]
        markers.append(
            Marker(
                x=svg_number(x),
                y=svg_number(y),
                kind="count",
                radius=svg_number(_symbol_size(request_count)) if request_count else "",
                square=square_path(_symbol_size(helper_count)) if helper_count else "",
                requests=request_count,
                helpers=helper_count,
            )
        )
        items.append(
            _("%(place)s: %(requests)s, %(helpers)s")
            % {
                "place": geo_selectors.municipality_name_in(municipality=place, language=language),
                "requests": _open_requests_text(request_count),
                "helpers": _helpers_text(helper_count),
            }
        )
    footnote = ""
    if rest:
        footnote = ngettext(
            "%(count)s other municipality is not listed.",
            "%(count)s other municipalities are not listed.",
            len(rest),
        ) % {"count": number_format(len(rest))}
    total = _("In all: %(requests)s, %(helpers)s.") % {
        "requests": _open_requests_text(sum(requests.values())),
        "helpers": _helpers_text(sum(helpers.values())),
    }
    return MapView(
        name="overview-map",
        title=_("Map of open requests and active helpers by municipality"),
        description=total,
        legend=[
            _(
                "Filled discs: open requests. Squares: active, verified helpers. The bigger, "
                "the more, in each municipality."
            ),
            total,
        ],
        items=items,
        box=box,
        view_box=box.view_box(),
        outline=outline,
        markers=markers,
        font_size=svg_number(box.width * 0.03),
        footnote=footnote,
    )


def _symbol_size(count: int) -> float:
    # Area grows with the count; capped so that Brussels does not cover half the country.
    return min(2.2 * math.sqrt(count) + 3.0, 12.0)


def _open_requests_text(count: int) -> str:
    return ngettext("%(count)s open request", "%(count)s open requests", count) % {
        "count": number_format(count)
    }


def _helpers_text(count: int) -> str:
    return ngettext("%(count)s active helper", "%(count)s active helpers", count) % {
        "count": number_format(count)
    }
