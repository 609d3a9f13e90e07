"""Two people chat live in two browsers through a real ASGI server (Uvicorn + Redis); one of
them goes offline, the other writes, and the first catches up when back online.

pytest-django's live_server speaks WSGI only (no WebSockets), so Uvicorn runs in a subprocess
against the test database (tests/messaging/servers.py). The Chromium is the harness's.
"""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.messaging.factories import ConversationFactory
from tests.messaging.servers import uvicorn_servers


def signed_in_page(browser, base_url: str, user):
    """A new browser context (own cookies) signed in as `user`, with one tab."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=base_url, locale="en-GB")
    context.set_default_timeout(10_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
    return context, context.new_page()


def send(page, body: str) -> None:
    page.get_by_label("Your message").fill(body)
    page.get_by_role("button", name="Send").click()


@pytest.mark.django_db(transaction=True)
def test_two_people_chat_live_and_the_one_offline_catches_up(browser):
    anne = UserFactory(display_name="Anne", language="en")
    bart = UserFactory(display_name="Bart", language="en")
    conversation = ConversationFactory(participants=[anne, bart])
    path = f"/conversations/{conversation.pk}/?lang=en"

    with uvicorn_servers(1) as (server,):
        anne_context, anne_page = signed_in_page(browser, server, anne)
        bart_context, bart_page = signed_in_page(browser, server, bart)
        try:
            for page in (anne_page, bart_page):
                page.goto(path)
                expect(page.locator("#connection-state")).to_have_attribute("data-state", "live")

            send(anne_page, "Hello Bart, Tuesday at ten?")
            expect(bart_page.locator("#messages")).to_contain_text("Hello Bart, Tuesday at ten?")
            send(bart_page, "Tuesday is fine.")
            expect(anne_page.locator("#messages")).to_contain_text("Tuesday is fine.")
            # Bart's page is visible, so he has read Anne's message: she sees it.
            expect(anne_page.locator(".message__read")).to_have_count(1)

            bart_context.set_offline(True)
            expect(bart_page.locator("#connection-state")).to_have_attribute(
                "data-state", "offline"
            )
            send(anne_page, "Bring the shopping list, please.")
            expect(anne_page.locator("li.message--mine[data-id]")).to_have_count(2)
            bart_page.wait_for_timeout(500)
            expect(bart_page.locator("#messages")).not_to_contain_text("shopping list")

            bart_context.set_offline(False)
            expect(bart_page.locator("#messages")).to_contain_text(
                "Bring the shopping list, please."
            )
            expect(bart_page.locator("#connection-state")).to_have_attribute("data-state", "live")
            # Every message once, in order.
            bodies = bart_page.locator("li[data-id] .message__body").all_inner_texts()
            assert bodies == [
                "Hello Bart, Tuesday at ten?",
                "Tuesday is fine.",
                "Bring the shopping list, please.",
            ]
        finally:
            anne_context.close()
            bart_context.close()
