"""The service directory: one CPAS/OCMW/ÖSHZ per current municipality, named in its
language(s), every entry with a source and no contact detail a source does not give."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Count

from directory.entries import PlaceRecord, cpas_entry, french_of
from directory.models import Service, ServiceKind
from directory.selectors import services_for_postcode_list
from directory.services import service_directory_load
from geo.models import Municipality

pytestmark = pytest.mark.django_db


def cpas_names(postcode: str) -> list[str]:
    return [
        service.name_in("fr")
        for service in services_for_postcode_list(postcode)
        if service.kind == ServiceKind.CPAS
    ]


def test_every_current_municipality_has_exactly_one_active_cpas_entry(service_directory):
    per_municipality = dict(
        Service.objects.filter(kind=ServiceKind.CPAS, active=True)
        .values_list("municipality")
        .annotate(count=Count("id"))
        .order_by()
    )

    assert Municipality.objects.count() == 565
    assert set(per_municipality) == set(Municipality.objects.values_list("refnis", flat=True))
    assert set(per_municipality.values()) == {1}


@pytest.mark.parametrize(
    ("postcode", "names"),
    [
        ("1000", {"fr": "CPAS de Bruxelles", "nl": "OCMW van Brussel"}),  # Brussels: both
        ("9000", {"nl": "OCMW Gent"}),  # Flanders
        ("9150", {"nl": "OCMW Beveren-Kruibeke-Zwijndrecht"}),  # merged on 1 January 2025
        ("5000", {"fr": "CPAS de Namur"}),  # Wallonia
        ("4700", {"de": "ÖSHZ Eupen"}),  # German-speaking Community
    ],
)
def test_a_postcode_gets_the_cpas_of_its_municipality_named_in_its_languages(
    service_directory, postcode, names
):
    cpas = [s for s in services_for_postcode_list(postcode) if s.kind == ServiceKind.CPAS]

    assert len(cpas) == 1
    assert cpas[0].names == names


def test_a_postcode_shared_by_two_municipalities_gets_both_cpas_the_primary_first(
    service_directory,
):
    assert cpas_names("1040") == ["CPAS d'Etterbeek", "CPAS de Bruxelles"]
    assert cpas_names("1804") == ["OCMW Vilvoorde", "OCMW Zemst"]


def test_the_old_postcodes_of_a_merged_municipality_lead_to_the_new_ocmw(service_directory):
    assert cpas_names("9120") == cpas_names("9130") == ["OCMW Beveren-Kruibeke-Zwijndrecht"]


def test_the_nine_german_speaking_municipalities_have_an_oshz_and_no_other_does(
    service_directory,
):
    german = Service.objects.filter(kind=ServiceKind.CPAS, name_de__startswith="ÖSHZ ")

    assert sorted(german.values_list("name_de", flat=True)) == [
        "ÖSHZ Amel",
        "ÖSHZ Burg-Reuland",
        "ÖSHZ Büllingen",
        "ÖSHZ Bütgenbach",
        "ÖSHZ Eupen",
        "ÖSHZ Kelmis",
        "ÖSHZ Lontzen",
        "ÖSHZ Raeren",
        "ÖSHZ Sankt Vith",
    ]
    assert all(service.languages == ["de"] for service in german)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Namur", "de Namur"),
        ("Ans", "d'Ans"),
        ("Eghezée", "d'Eghezée"),
        ("Ecaussinnes", "d'Ecaussinnes"),
        ("Yvoir", "d'Yvoir"),
        ("Le Roeulx", "du Roeulx"),
        ("Les Bons Villers", "des Bons Villers"),
        ("La Louvière", "de La Louvière"),
        ("Herve", "de Herve"),
    ],
)
def test_french_names_follow_the_article_rules(name, expected):
    assert french_of(name) == expected


def test_a_walloon_municipality_starting_with_a_vowel_is_elided(service_directory):
    assert Service.objects.get(key="cpas-62003").name_fr == "CPAS d'Ans"
    assert Service.objects.get(key="cpas-21001").name_fr == "CPAS d'Anderlecht"


def test_a_brussels_entry_has_both_names_and_shows_both_in_other_languages():
    entry = cpas_entry(PlaceRecord("21009", "Ixelles", "Elsene", "", "brussels"))
    service = Service(
        key=entry.key, kind="cpas", name_fr=entry.names["fr"], name_nl=entry.names["nl"]
    )

    assert service.name_in("fr") == "CPAS d'Ixelles"
    assert service.name_in("nl") == "OCMW van Elsene"
    assert service.name_in("en") == "CPAS d'Ixelles / OCMW van Elsene"
    assert service.name_in("de") == "CPAS d'Ixelles / OCMW van Elsene"


def test_every_entry_names_its_source_and_the_seeds_give_no_contact_details(
    service_directory,
):
    services = list(Service.objects.all())

    assert all(service.source.strip() for service in services)
    assert all("seeds/" in service.source for service in services)
    assert not [service.key for service in services if service.has_contact_details]


def test_the_database_refuses_an_entry_without_a_source(service_directory):
    with pytest.raises(IntegrityError), transaction.atomic():
        Service.objects.create(key="no-source", kind="other", name_fr="X", phone="081 00 00 00")


def test_the_database_refuses_a_second_active_cpas_for_a_municipality(service_directory):
    with pytest.raises(IntegrityError), transaction.atomic():
        Service.objects.create(
            key="cpas-namur-bis",
            kind="cpas",
            name_fr="CPAS bis",
            municipality_id="92094",
            source="a test",
        )


def test_loading_again_changes_nothing_and_keeps_contact_details_imported_with_a_source(
    service_directory,
):
    namur = Service.objects.get(key="cpas-92094")
    namur.phone = "081 00 00 00"
    namur.source = "Checked on the CPAS website, 2025-03-01 (a test)"
    namur.save()
    before = Service.objects.count()

    result = service_directory_load()

    namur.refresh_from_db()
    assert Service.objects.count() == before
    assert result.created == 0
    assert namur.phone == "081 00 00 00"
    assert namur.source.startswith("Checked on the CPAS website")
    assert namur.name_fr == "CPAS de Namur"


def test_the_cpas_of_a_municipality_that_no_longer_exists_is_deactivated_not_deleted(
    service_directory,
):
    Service.objects.create(
        key="cpas-46003", kind="cpas", name_nl="OCMW Beveren", source="before the merger"
    )

    result = service_directory_load()

    assert result.deactivated == 1
    assert Service.objects.get(key="cpas-46003").active is False


def test_the_command_loads_the_directory(service_directory, capsys):
    call_command("load_services")

    assert "entries" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("postcode", "has_casd"), [("5000", True), ("4700", False), ("1000", False), ("9000", False)]
)
def test_the_walloon_casd_pointer_is_offered_only_in_french_speaking_wallonia(
    service_directory, postcode, has_casd
):
    kinds = [service.kind for service in services_for_postcode_list(postcode)]

    assert ("casd" in kinds) is has_casd


def test_everyone_is_pointed_to_their_own_mutualite(service_directory):
    for postcode in ("1000", "9000", "5000", "4700"):
        keys = [service.key for service in services_for_postcode_list(postcode)]
        assert keys[0].startswith("cpas-")
        assert "mutuality-own" in keys


def test_an_unknown_postcode_has_no_services(service_directory):
    assert services_for_postcode_list("9999") is None
    assert services_for_postcode_list("") is None
