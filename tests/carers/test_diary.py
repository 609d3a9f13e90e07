"""The care diary: monthly and rolling-12-month totals against 50 h and 600 h (the engine's
thresholds, seed 001), training and support groups counted, one's own entries only."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from carers.engine.rules import MONTHLY_HOURS, YEARLY_HOURS
from carers.selectors import diary_assessment_prefill, diary_totals
from tests.accounts.factories import UserFactory
from tests.carers.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 31)
URL = "/api/carers/diary/"


@pytest.fixture
def carer(db):
    return UserFactory()


def add(carer, date, hours, kind="care"):
    """`hours` from `date` on, at most 24 a day (one entry per day, as the diary allows)."""
    left = Decimal(str(hours))
    while left > 0:
        today = min(left, Decimal("24"))
        DiaryEntryFactory(user=carer, date=date, hours=today, kind=kind)
        left -= today
        date += datetime.timedelta(days=1)


def test_the_thresholds_are_the_engines():
    assert (MONTHLY_HOURS.value, YEARLY_HOURS.value) == (50, 600)


@pytest.mark.parametrize(("hours", "meets"), [(49.75, False), (50, True)])
def test_the_month_meets_the_threshold_from_50_hours(carer, hours, meets):
    add(carer, DAY.replace(day=1), hours)

    month = diary_totals(user=carer, on=DAY)["month"]

    assert month["hours"] == Decimal(str(hours))
    assert month["meets"] is meets


@pytest.mark.parametrize(("hours", "meets"), [(599.75, False), (600, True)])
def test_the_rolling_year_meets_the_threshold_from_600_hours(carer, hours, meets):
    # From the first day of the 12 months ending on DAY; nothing in DAY's own month.
    add(carer, datetime.date(2024, 4, 1), hours)

    totals = diary_totals(user=carer, on=DAY)

    assert totals["rolling_12_months"]["hours"] == Decimal(str(hours))
    assert totals["rolling_12_months"]["meets"] is meets
    assert totals["month"]["meets"] is False


def test_training_and_support_groups_count_towards_the_hours(carer):
    add(carer, datetime.date(2025, 3, 1), 40, "care")
    add(carer, datetime.date(2025, 3, 10), 6, "training")
    add(carer, datetime.date(2025, 3, 11), 4, "support_group")

    assert diary_totals(user=carer, on=DAY)["month"]["meets"] is True


def test_the_rolling_year_is_the_twelve_months_ending_on_the_day(carer):
    add(carer, datetime.date(2024, 3, 31), 20)  # exactly a year before: outside
    add(carer, datetime.date(2024, 4, 1), 7)  # the first day inside
    add(carer, datetime.date(2025, 4, 1), 20)  # after the day: outside

    totals = diary_totals(user=carer, on=DAY)

    assert totals["rolling_12_months"]["start"] == datetime.date(2024, 4, 1)
    assert totals["rolling_12_months"]["hours"] == Decimal("7")


def test_the_month_counts_from_its_first_day_and_other_peoples_hours_do_not_count(carer):
    add(carer, datetime.date(2025, 2, 28), 20)
    add(carer, datetime.date(2025, 3, 1), 5)
    add(UserFactory(), datetime.date(2025, 3, 2), 60)

    assert diary_totals(user=carer, on=DAY)["month"]["hours"] == Decimal("5")


def test_the_assessment_is_prefilled_only_with_what_the_diary_can_vouch_for(carer):
    assert diary_assessment_prefill(user=carer, on=DAY) == {}

    add(carer, datetime.date(2025, 2, 1), 20)
    add(carer, datetime.date(2025, 3, 10), 12)

    # Covers February fully (the busier month), not twelve months.
    assert diary_assessment_prefill(user=carer, on=DAY) == {"hours_per_month": 20.0}


def test_a_year_over_the_threshold_is_prefilled_even_if_the_diary_is_young(carer):
    add(carer, datetime.date(2025, 3, 1), 600)

    prefill = diary_assessment_prefill(user=carer, on=DAY)

    assert prefill == {"hours_per_month": 600.0, "hours_per_year": 600.0}


# --- API -------------------------------------------------------------------------------------


@pytest.fixture
def client(carer):
    client = APIClient()
    client.force_authenticate(carer)
    return client


def test_a_carer_writes_reads_changes_and_deletes_their_entries(client):
    created = client.post(
        URL, {"date": "2025-03-14", "hours": "3.5", "kind": "training"}, format="json"
    )
    entry_url = f"{URL}{created.json()['id']}/"
    changed = client.patch(entry_url, {"hours": "4"}, format="json")
    listed = client.get(URL)
    deleted = client.delete(entry_url)

    assert created.status_code == 201
    assert changed.json()["hours"] == "4.00"
    assert [entry["kind"] for entry in listed.json()] == ["training"]
    assert deleted.status_code == 204
    assert client.get(URL).json() == []


def test_someone_elses_entry_is_a_404(client):
    other = DiaryEntryFactory()

    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert client.patch(f"{URL}{other.pk}/", {"hours": "1"}, format="json").status_code == 404
    assert client.delete(f"{URL}{other.pk}/").status_code == 404
    assert client.get(URL).json() == []


@pytest.mark.parametrize("hours", ["0", "24.25", "-1"])
def test_hours_outside_a_quarter_hour_to_24_are_refused(client, hours):
    response = client.post(
        URL, {"date": "2025-03-14", "hours": hours, "kind": "care"}, format="json"
    )

    assert response.status_code == 400
    assert "hours" in response.json()


def test_the_totals_endpoint_reports_both_periods(client, carer):
    add(carer, datetime.date(2025, 3, 1), 50)

    totals = client.get(f"{URL}totals/", {"date": "2025-03-31"}).json()

    assert totals["month"] == {
        "start": "2025-03-01",
        "end": "2025-03-31",
        "hours": "50.00",
        "threshold": 50,
        "meets": True,
    }
    assert totals["rolling_12_months"]["threshold"] == 600
    assert totals["meets_either"] is True


def test_anonymous_visitors_get_401():
    assert APIClient().get(URL).status_code == 401
    assert APIClient().get(f"{URL}totals/").status_code == 401
