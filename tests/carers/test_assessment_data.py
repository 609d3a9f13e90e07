"""A person's assessments in their data export, and gone from them when the account is erased."""

import pytest

from carers import selectors
from carers.services.assessments import assessments_erase_for_user
from tests.accounts.factories import UserFactory
from tests.carers.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def test_the_export_holds_only_the_persons_own_assessments():
    person, someone_else = UserFactory(), UserFactory()
    own = AssessmentFactory(user=person, contact_consent=True, contact={"phone": "+32 2 000"})
    AssessmentFactory(user=someone_else)
    AssessmentFactory(user=None)

    exported = selectors.assessments_export_for_user(user=person)

    assert [item["id"] for item in exported] == [own.pk]
    assert exported[0]["contact"] == {"phone": "+32 2 000"}
    assert exported[0]["answers"] == own.answers


def test_erasing_detaches_the_assessments_and_drops_contact_details():
    person, someone_else = UserFactory(), UserFactory()
    own = AssessmentFactory(user=person, contact_consent=True, contact={"email": "a@b.be"})
    other = AssessmentFactory(user=someone_else, contact_consent=True, contact={"email": "c@d.be"})

    assert assessments_erase_for_user(user=person) == 1

    own.refresh_from_db()
    other.refresh_from_db()
    assert own.user is None and own.contact == {} and own.contact_consent is False
    assert other.user == someone_else and other.contact == {"email": "c@d.be"}
    assert selectors.assessments_export_for_user(user=person) == []
