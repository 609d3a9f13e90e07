"""The cheap read paths of the request API (rows read in one plain query, the remembered carer
signal, offers as plain dicts) read what the model-based paths read. Their bytes are compared
with the serializer's in tests/test_fast_paths.py."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from requests_app import permissions, selectors
from requests_app.models import HelpRequest, Offer
from requests_app.serializers import OfferOutputSerializer, offer_data
from tests.clients import client_for
from tests.requests_app.conftest import PERSONAS, mark_matched
from tests.requests_app.factories import HelpRequestFactory, OfferFactory

pytestmark = pytest.mark.django_db

CARER_DESCRIPTION = (
    "Je m'occupe de ma mère atteinte de démence tous les jours, je suis épuisée, elle ne peut "
    "pas rester seule."
)


def user_of(personas, persona):
    """The persona as request.user would be: AnonymousUser for the anonymous one."""
    return getattr(personas, persona) or AnonymousUser()


def carer_request(personas) -> HelpRequest:
    """The personas' request, rewritten by someone caring for a parent (a likely carer)."""
    help_request = personas.help_request
    help_request.description = CARER_DESCRIPTION
    help_request.for_someone_else = True
    help_request.relationship = "parent"
    help_request.cared_for_age = 82
    help_request.care_hours_per_week = Decimal("12.5")
    help_request.save()
    return help_request


# --- Rows ---------------------------------------------------------------------------------
# That a row is written as the serializer writes the request: tests/test_fast_paths.py.


def one_row(rows) -> dict:
    """The only row, as {column name: value}."""
    [values] = rows.values
    return dict(zip(rows.names, values, strict=True))


def test_a_row_keeps_a_missing_start_and_the_exact_coordinates(personas):
    help_request = HelpRequestFactory(requester=personas.requester, starts_at=None)
    row = one_row(
        selectors.help_request_row_visible_to(user=personas.requester, pk=help_request.pk)
    )

    assert row["starts_at"] is None
    assert (row["location.lat"], row["location.lon"]) == (
        help_request.location.y,
        help_request.location.x,
    )
    assert (row["approximate_location.lat"], row["approximate_location.lon"]) == (
        help_request.approximate_location.y,
        help_request.approximate_location.x,
    )


def request_of_shape(personas, shape: str) -> HelpRequest:
    """The personas' request open, matched with `helper`, or made for the outsider by
    other_helper (someone who made a request for a person is one of its parties)."""
    if shape == "matched":
        return mark_matched(personas)
    if shape == "made_for_someone":
        return HelpRequestFactory(requester=personas.outsider, created_by=personas.other_helper)
    return personas.help_request


@pytest.mark.parametrize("shape", ["open", "matched", "made_for_someone"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_three_readings_of_who_sees_a_request_agree(personas, persona, shape):
    """requests_app.permissions declares who sees a request once; the fast path reads it as
    SQL, the other reads as an ORM filter, the rules on a loaded request in Python."""
    help_request = request_of_shape(personas, shape)
    user = user_of(personas, persona)

    rows = selectors.help_request_row_visible_to(user=user, pk=help_request.pk)
    instance = selectors.help_request_visible_to(user=user, pk=help_request.pk)
    rule = permissions.may_see(help_request=help_request, user=user)

    assert bool(rows) == (instance is not None) == rule
    assert rows.column("id") == ([instance.pk] if instance else [])


def test_the_person_who_made_the_request_sees_its_row(personas):
    made = HelpRequestFactory(created_by=personas.coordinator)

    made_rows = selectors.help_request_row_visible_to(user=personas.coordinator, pk=made.pk)
    assert made_rows.column("id") == [made.pk]
    assert not selectors.help_request_row_visible_to(user=personas.outsider, pk=made.pk)


def test_the_rows_of_a_person_are_their_requests_newest_first_up_to_the_limit(personas):
    requester = personas.requester
    HelpRequestFactory.create_batch(3, requester=requester)
    HelpRequestFactory(created_by=requester)
    HelpRequestFactory()  # someone else's

    rows = selectors.help_request_rows_of(user=requester, limit=200)
    first_two = selectors.help_request_rows_of(user=requester, limit=2)

    expected = list(selectors.help_requests_of(user=requester).values_list("pk", flat=True))
    assert rows.column("id") == expected and len(expected) == 5
    assert first_two.column("id") == expected[:2]


def test_the_rows_matched_to_a_helper_are_theirs_only(personas):
    help_request = mark_matched(personas)

    rows = selectors.help_request_rows_matched_to(helper_user=personas.helper, limit=200)
    others = selectors.help_request_rows_matched_to(helper_user=personas.other_helper, limit=200)

    assert rows.column("id") == [help_request.pk]
    assert not others


def test_the_detail_reads_the_request_in_one_query(personas, django_assert_num_queries):
    client = client_for(personas.requester)  # signed in without a query

    with django_assert_num_queries(1):
        response = client.get(f"/api/requests/{personas.help_request.pk}/")

    assert response.status_code == 200


def test_an_id_beyond_the_database_range_is_a_404(personas):
    response = client_for(personas.coordinator).get("/api/requests/99999999999999999999999/")

    assert response.status_code == 404


# --- The remembered carer signal ----------------------------------------------------------


def test_a_changed_description_gives_its_own_signal_at_once(personas):
    help_request = carer_request(personas)
    url = f"/api/requests/{help_request.pk}/"
    client = client_for(personas.requester)
    assert client.get(url).json()["carer_signal"]["likely_carer"] is True

    HelpRequest.objects.filter(pk=help_request.pk).update(
        description="Courses au supermarché.", relationship="", care_hours_per_week=None
    )

    assert client.get(url).json()["carer_signal"] == {"likely_carer": False, "reasons": []}


def test_the_reasons_follow_the_language_of_each_reader(personas):
    help_request = carer_request(personas)

    with translation.override("en"):
        english = selectors.carer_signal_of(help_request=help_request).reasons
    with translation.override("nl"):
        dutch = selectors.carer_signal_of(help_request=help_request).reasons

    assert english and dutch and english != dutch
    assert "You give about 12.5 hours of care a week." in english


def test_changing_a_signal_handed_out_does_not_change_the_next_one(personas):
    help_request = carer_request(personas)
    first = selectors.carer_signal_of(help_request=help_request)
    reasons = list(first.reasons)

    first.reasons.clear()
    first.codes.clear()

    again = selectors.carer_signal_of(help_request=help_request)
    assert again.reasons == reasons and again.codes


# --- Offers -------------------------------------------------------------------------------


def test_an_offer_as_a_dict_is_what_its_serializer_shows(personas):
    offer = OfferFactory(request=personas.help_request, helper=personas.helper, message="Oui")
    fresh = Offer.objects.select_related("helper").get(pk=offer.pk)

    assert offer_data(offer) == OfferOutputSerializer(offer).data
    assert offer_data(fresh) == OfferOutputSerializer(fresh).data


def test_a_new_offer_answers_with_the_stored_offer(personas):
    response = client_for(personas.helper).post(
        f"/api/requests/{personas.help_request.pk}/offers/", {"message": " Oui "}, format="json"
    )

    stored = Offer.objects.select_related("helper").get()
    assert response.status_code == 201
    assert response.json() == OfferOutputSerializer(stored).data


def test_a_request_reference_loads_only_its_id(personas, django_assert_num_queries):
    help_request = personas.help_request

    with django_assert_num_queries(1):
        reference = selectors.help_request_reference(pk=help_request.pk)
    assert reference.pk == help_request.pk
    assert reference.get_deferred_fields() >= {"status", "description", "location"}
    assert reference.status == help_request.status  # loads on access
    assert selectors.help_request_reference(pk=help_request.pk + 1000) is None
