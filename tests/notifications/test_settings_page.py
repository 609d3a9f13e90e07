"""The notification settings page: a person chooses, per kind they can receive, e-mail and
push; the daily digest; quiet hours. Server-rendered, works without JavaScript, in the
person's language; bad input is answered 400 on the page with the fields kept."""

import pytest

from accounts.models import Role
from notifications.selectors import channel_settings_of, kinds_for_roles
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/notifications/settings/"


def page_of(client, person, language="en") -> str:
    client.force_login(person)
    response = client.get(URL, {"lang": language})
    assert response.status_code == 200
    return response.content.decode()


def every_box_as_shown(person) -> dict:
    """The form as the page would post it unchanged: every checked box, the digest, no quiet
    hours."""
    current = channel_settings_of(user_id=person.pk)
    data = {"digest": current["digest"], "quiet_start": "22:00", "quiet_end": "08:00"}
    for kind in kinds_for_roles(roles=person.roles):
        if current["email"][kind.name]:
            data[f"email:{kind.name}"] = "on"
        if current["push"][kind.name]:
            data[f"push:{kind.name}"] = "on"
    return data


def test_a_stranger_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_each_role_is_offered_only_the_kinds_that_can_reach_it(client):
    requester = UserFactory(roles=[Role.HELPPIE])
    helper = UserFactory(roles=[Role.HELPPER])

    requester_page = page_of(client, requester)
    helper_page = page_of(client, helper)

    assert "A neighbour offers to help with a request" in requester_page
    assert "A new request near me" not in requester_page
    assert "A new request near me" in helper_page
    assert "A neighbour offers to help with a request" not in helper_page
    assert "A referral is sent to my service" not in requester_page + helper_page


def test_a_person_who_asks_and_offers_help_is_offered_the_kinds_of_both(client):
    both = UserFactory(roles=[Role.HELPPIE, Role.HELPPER])

    html = page_of(client, both)

    assert "A neighbour offers to help with a request" in html
    assert "A new request near me" in html
    assert html.count("A message I have not read yet") == 1


def test_every_kind_reaches_at_least_one_role():
    offered = {kind.name for role in Role.values for kind in kinds_for_roles(roles=[role])}

    from notifications.kinds import KINDS

    assert offered == set(KINDS)


def test_the_page_shows_the_defaults_of_a_person_who_never_chose(client):
    requester = UserFactory(roles=[Role.HELPPIE])

    html = page_of(client, requester)

    # offer.received goes out by e-mail and push by default; request.expiring by e-mail only.
    assert 'name="email:offer.received" id="id_email:offer.received" checked' in html
    assert 'name="push:offer.received" id="id_push:offer.received" checked' in html
    assert 'name="push:request.expiring" id="id_push:request.expiring">' in html


def test_turning_off_one_kind_by_email_keeps_the_others_and_push(client):
    requester = UserFactory(roles=[Role.HELPPIE])
    client.force_login(requester)
    data = every_box_as_shown(requester)
    del data["email:offer.received"]

    response = client.post(URL, data)

    assert response.status_code == 302 and response["Location"].endswith("?saved=1")
    saved = channel_settings_of(user_id=requester.pk)
    assert saved["email"]["offer.received"] is False
    assert saved["push"]["offer.received"] is True
    assert saved["email"]["request.matched"] is True
    shown = client.get(response["Location"] + "&lang=en").content.decode()
    assert "Your choices are saved." in shown


def test_the_daily_digest_and_quiet_hours_are_saved(client):
    helper = UserFactory(roles=[Role.HELPPER])
    client.force_login(helper)
    data = every_box_as_shown(helper) | {
        "digest": "daily",
        "quiet_hours": "on",
        "quiet_start": "21:30",
        "quiet_end": "07:15",
    }

    client.post(URL, data)

    saved = channel_settings_of(user_id=helper.pk)
    assert saved["digest"] == "daily"
    assert saved["quiet_hours"] == {"start": "21:30", "end": "07:15"}
    html = page_of(client, helper)
    assert 'value="21:30"' in html and 'value="07:15"' in html


def test_turning_quiet_hours_off_clears_them(client):
    helper = UserFactory(roles=[Role.HELPPER])
    client.force_login(helper)
    client.post(URL, every_box_as_shown(helper) | {"quiet_hours": "on"})
    assert channel_settings_of(user_id=helper.pk)["quiet_hours"] is not None

    client.post(URL, every_box_as_shown(helper))

    assert channel_settings_of(user_id=helper.pk)["quiet_hours"] is None


def test_a_bad_hour_is_answered_400_in_the_persons_language_and_nothing_is_saved(client):
    requester = UserFactory(roles=[Role.HELPPIE], language="fr")
    client.force_login(requester)
    data = every_box_as_shown(requester) | {"quiet_hours": "on", "quiet_start": "25:99"}
    del data["email:offer.received"]

    response = client.post(URL + "?lang=fr", data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Erreur" in html
    assert 'aria-invalid="true"' in html
    # The person's other choice on the page is kept, and nothing was written.
    assert 'name="email:offer.received" id="id_email:offer.received">' in html
    assert channel_settings_of(user_id=requester.pk)["email"]["offer.received"] is True


def test_an_unknown_digest_value_is_a_400_not_a_500(client):
    requester = UserFactory(roles=[Role.HELPPIE])
    client.force_login(requester)

    response = client.post(URL, every_box_as_shown(requester) | {"digest": "hourly"})

    assert response.status_code == 400


def test_the_inbox_links_to_the_settings(client):
    requester = UserFactory(roles=[Role.HELPPIE])
    client.force_login(requester)

    html = client.get("/notifications/", {"lang": "en"}).content.decode()

    assert f'href="{URL}"' in html
    assert "<title>Notifications – Tandem</title>" in html
