"""Writes the accounts the load scenario signs in with, as JSON (bench/load/run.sh calls it).

Reads the demo data of the database in DATABASE_URL (`manage.py seed_demo`): people with open
requests, verified active helpers, the demo coordinator; gives each an API token (created if
missing) so that the scenario never pays for a password hash at sign-in (PBKDF2 is slow on
purpose; logging in is not what this scenario measures). Also lists postcodes to look up, and
opens one conversation per requester and helper paired in order (about the requester's first
open request, through `messaging.services.conversation_open`, idempotent) for the chat traffic
of bench/load/ws_traffic.py.

    DATABASE_URL=... .venv/bin/python bench/load/accounts.py OUTPUT.json
"""

import json
import os
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))


def token_of(user) -> str:
    """The user's API token, created if missing."""
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=user)[0].key


def demo_open_requests():
    """The open requests of the demo's people, in id order."""
    from accounts.models import User
    from requests_app.demo.seed import demo_user_filter
    from requests_app.models import HelpRequest, RequestStatus

    return HelpRequest.objects.filter(
        status=RequestStatus.OPEN, requester__in=User.objects.filter(demo_user_filter())
    ).order_by("id")


def demo_helpers() -> list:
    """The demo's active verified helpers (users), in the order of their profiles."""
    from accounts.models import User
    from matching.models import HelperProfile, VerificationState
    from requests_app.demo.seed import demo_user_filter

    return [
        profile.user
        for profile in HelperProfile.objects.filter(
            active=True,
            verification_state=VerificationState.VERIFIED,
            user__in=User.objects.filter(demo_user_filter()),
        )
        .select_related("user")
        .order_by("pk")
    ]


def accounts_collect() -> dict:
    """Tokens and ids of the demo people, grouped by the part they play in the scenario."""
    from accounts.models import User
    from geo.models import Postcode
    from requests_app.demo.content import COORDINATOR_EMAIL

    requests_by_person: dict[int, list[int]] = {}
    open_requests = demo_open_requests()
    for requester_id, request_id in open_requests.values_list("requester_id", "id"):
        requests_by_person.setdefault(requester_id, []).append(request_id)
    requesters = [
        {
            "token": token_of(user),
            "postcode": user.postcode,
            "requests": requests_by_person[user.pk],
        }
        for user in User.objects.filter(pk__in=requests_by_person).order_by("pk")
    ]
    helpers = [{"token": token_of(user)} for user in demo_helpers()]
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    return {
        "conversations": conversations_open(),
        "requesters": requesters,
        "helpers": helpers,
        "coordinators": [{"token": token_of(coordinator)}],
        "request_ids": list(open_requests.values_list("id", flat=True)),
        "postcodes": list(Postcode.objects.order_by("code").values_list("code", flat=True)),
    }


def conversations_open() -> list[dict]:
    """One conversation per (requester, helper) pair, in id order, as the chat traffic uses them:
    the conversation id and the two people's tokens."""
    from messaging.services import conversation_open

    first_requests = {}
    for request in demo_open_requests().select_related("requester"):
        first_requests.setdefault(request.requester_id, request)
    helpers = demo_helpers()
    conversations = []
    for request, helper in zip(first_requests.values(), helpers, strict=False):
        conversation = conversation_open(
            participants=[request.requester, helper], help_request=request
        )
        conversations.append(
            {
                "conversation": conversation.pk,
                "tokens": [token_of(person) for person in (request.requester, helper)],
            }
        )
    return conversations


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: accounts.py OUTPUT.json")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    accounts = accounts_collect()
    if not (accounts["requesters"] and accounts["helpers"]):
        sys.exit("no demo requesters or helpers: run `manage.py seed_demo` first")
    Path(sys.argv[1]).write_text(json.dumps(accounts))
    print(
        f"accounts: {len(accounts['requesters'])} requesters, {len(accounts['helpers'])} helpers, "
        f"{len(accounts['coordinators'])} coordinator, {len(accounts['postcodes'])} postcodes, "
        f"{len(accounts['conversations'])} conversations"
    )


if __name__ == "__main__":
    main()
