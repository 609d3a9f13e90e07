"""`python manage.py load_places` and the data it writes."""

from io import StringIO
from statistics import fmean

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command

from geo.models import CountryBoundary, LocationSource, Municipality, Postcode, Region
from geo.services import places_load, point_in_belgium

pytestmark = pytest.mark.usefixtures("places")


def _snapshot() -> tuple:
    return (
        list(
            Municipality.objects.values_list("refnis", "name_fr", "name_nl", "region", "location")
        ),
        list(
            Postcode.objects.values_list(
                "code", "municipality_id", "locality_name", "location", "location_source"
            )
        ),
        sorted(
            Postcode.municipalities.through.objects.values_list("postcode_id", "municipality_id")
        ),
        CountryBoundary.objects.get(country_code="BE").area.wkb,
    )


def test_loading_twice_changes_nothing():
    before = _snapshot()

    first = places_load()
    second = places_load()

    assert first == second
    assert (second.municipalities, second.postcodes, second.postcode_links) == (565, 1149, 1152)
    assert (second.created, second.removed) == (0, 0)
    assert _snapshot() == before


def test_the_command_prints_what_it_loaded():
    output = StringIO()

    call_command("load_places", stdout=output)

    assert (
        "565 municipalities, 1149 postcodes (1152 postcode-municipality links)" in output.getvalue()
    )
    assert "0 rows created, 0 removed" in output.getvalue()


def test_loading_repairs_changed_rows_and_removes_rows_that_left_the_data():
    Postcode.objects.filter(code="1000").update(locality_name="Somewhere else")
    Postcode.municipalities.through.objects.filter(postcode_id="1040").delete()
    stale = Municipality.objects.create(
        refnis="99999",
        name_fr="Nulle part",
        name_nl="Nergens",
        region=Region.WALLONIA,
        location=Point(4.5, 50.5, srid=4326),
    )
    Postcode.objects.create(
        code="0999",
        municipality=stale,
        location=Point(4.5, 50.5, srid=4326),
        location_source=LocationSource.COUNTRYSTATECITY,
    )

    result = places_load()

    assert result.removed == 2
    assert not Municipality.objects.filter(refnis="99999").exists()
    assert Postcode.objects.get(code="1000").locality_name == "Bruxelles"
    assert Postcode.objects.get(code="1040").municipalities.count() == 2


def test_a_point_not_taken_from_the_package_always_says_why():
    package = Postcode.objects.filter(location_source=LocationSource.COUNTRYSTATECITY)
    derived = Postcode.objects.exclude(location_source=LocationSource.COUNTRYSTATECITY)
    missing = derived.filter(location_note="No point in countries-states-cities.")

    assert sorted(missing.values_list("code", flat=True)) == ["1804", "1931", "5352", "7010"]
    assert not derived.filter(location_note="").exists()
    assert not package.exclude(location_note="").exists()
    assert package.count() > 1100


def test_a_package_point_in_another_village_of_the_same_name_is_replaced():
    # The package puts 6831 Noirfontaine (Bouillon, province of Luxembourg) near Liège.
    noirfontaine = Postcode.objects.get(code="6831")
    bouillon_others = Postcode.objects.filter(
        municipality_id="84010", location_source=LocationSource.COUNTRYSTATECITY
    )

    assert noirfontaine.location_source == LocationSource.MUNICIPALITY_MEAN
    assert "(50.61758, 5.41225) lies outside" in noirfontaine.location_note
    assert noirfontaine.location.y == pytest.approx(fmean(p.location.y for p in bouillon_others))


def test_a_municipality_with_a_single_misplaced_postcode_gets_a_point_in_its_canton():
    # 1910 is Kampenhout's only postcode; the package puts "Berg" in Limburg, 49 km away.
    berg = Postcode.objects.get(code="1910")

    assert berg.location_source == LocationSource.CANTON_POINT
    assert "(51.16957, 5.15212) lies outside" in berg.location_note
    assert Municipality.objects.get(refnis="23038").location == berg.location


def test_a_derived_point_is_the_mean_of_the_municipalitys_other_postcodes():
    # 5352 belongs to Ohey, whose other postcodes are 5350, 5351, 5353 and 5354.
    others = Postcode.objects.filter(code__in=["5350", "5351", "5353", "5354"])

    point = Postcode.objects.get(code="5352").location

    assert point.y == pytest.approx(fmean(other.location.y for other in others))
    assert point.x == pytest.approx(fmean(other.location.x for other in others))


def test_a_municipality_point_is_the_mean_of_its_postcodes_points():
    # Ohey is the primary municipality of 5350-5354; only the packaged points count.
    packaged = Postcode.objects.filter(
        municipality_id="92097", location_source=LocationSource.COUNTRYSTATECITY
    )

    point = Municipality.objects.get(refnis="92097").location

    assert packaged.count() == 4
    assert point.y == pytest.approx(fmean(postcode.location.y for postcode in packaged))
    assert point.x == pytest.approx(fmean(postcode.location.x for postcode in packaged))


def test_every_municipality_is_primary_for_at_least_one_postcode():
    assert not Municipality.objects.filter(primary_postcodes__isnull=True).exists()


def test_the_regions_have_the_expected_sizes():
    counts = {region: Municipality.objects.filter(region=region).count() for region in Region}

    assert counts == {Region.FLANDERS: 285, Region.WALLONIA: 261, Region.BRUSSELS: 19}


def test_every_postcode_and_municipality_point_lies_in_belgium():
    outside = [
        place
        for place in [*Postcode.objects.all(), *Municipality.objects.all()]
        if not point_in_belgium(place.location)
    ]

    assert outside == []
