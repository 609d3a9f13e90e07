"""A person signs up, logs out and in again, and changes language, in a real browser."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User

pytestmark = pytest.mark.browser

PASSWORD = "trois tartines au sirop de Liège"


def sign_up(page: Page, *, email: str, password: str, name: str, postcode: str) -> None:
    page.goto("/signup/")
    page.get_by_label("Adresse e-mail", exact=True).fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_label("Votre nom", exact=True).fill(name)
    page.get_by_label("Langue", exact=True).select_option("fr")
    page.get_by_label("Code postal", exact=True).fill(postcode)
    # The privacy notice is on the page; ticking the box accepts it.
    page.get_by_label("J'ai lu la notice de confidentialité et je l'accepte").check()
    page.get_by_role("button", name="Créer mon compte").click()


def test_sign_up_log_out_log_in_and_switch_language(page: Page, known_postcode):
    sign_up(
        page, email="lucie@example.be", password=PASSWORD, name="Lucie", postcode=known_postcode
    )

    # Signed in, on the home page.
    expect(page).to_have_url(re.compile(r"/$"))
    navigation = page.get_by_role("navigation")
    expect(navigation).to_contain_text("Lucie")
    assert User.objects.get(email="lucie@example.be").postcode == known_postcode

    page.get_by_role("button", name="Se déconnecter").click()
    expect(navigation).not_to_contain_text("Lucie")

    navigation.get_by_role("link", name="Se connecter").click()
    page.get_by_label("Adresse e-mail", exact=True).fill("lucie@example.be")
    page.get_by_label("Mot de passe", exact=True).fill("pas le bon mot de passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Cette adresse e-mail et ce mot de passe ne correspondent à aucun compte."
    )
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(navigation).to_contain_text("Lucie")

    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    # Signed in, the home page is the person's own, greeting them in Dutch now.
    expect(page.get_by_role("heading", level=1)).to_have_text("Hallo Lucie")
    expect(page.get_by_role("button", name="Afmelden")).to_be_visible()
    assert User.objects.get(email="lucie@example.be").language == "nl"


def test_a_weak_password_is_explained_next_to_the_field(page: Page, known_postcode, screenshot_dir):
    sign_up(page, email="omar@example.be", password="12345", name="Omar", postcode=known_postcode)

    password = page.get_by_label("Mot de passe", exact=True)
    expect(password).to_have_attribute("aria-invalid", "true")
    described_by = password.get_attribute("aria-describedby").split()
    error = page.locator(f"#{described_by[-1]}")
    expect(error).to_be_visible()
    expect(error).to_contain_text("trop court")
    # The accessible description a screen reader announces with the field includes the error.
    expect(password).to_have_accessible_description(re.compile("trop court"))
    page.screenshot(path=screenshot_dir / "signup-errors-desktop.png", full_page=True)

    # The summary at the top leads straight to the field.
    page.get_by_role("alert").get_by_role("link", name=re.compile("Mot de passe")).first.click()
    assert page.evaluate("document.activeElement.id") == "id_password"
    assert not User.objects.filter(email="omar@example.be").exists()


def test_the_keyboard_first_reaches_the_skip_link(page: Page):
    page.goto("/login/")

    page.keyboard.press("Tab")

    skip_link = page.get_by_role("link", name="Aller au contenu principal")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))


def test_lang_in_the_address_switches_language(page: Page):
    page.goto("/?lang=de")

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nachbarn helfen Nachbarn")
    page.get_by_role("navigation").get_by_role("link", name="Anmelden").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")


@pytest.mark.parametrize(
    "path, name", [("/", "home"), ("/signup/", "signup"), ("/login/", "login")]
)
@pytest.mark.parametrize("width, height, device", [(390, 844, "phone"), (1280, 900, "desktop")])
def test_pages_fit_the_screen(page: Page, screenshot_dir, path, name, width, height, device):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(path)

    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=screenshot_dir / f"{name}-{device}.png", full_page=True)
