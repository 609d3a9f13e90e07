"""Checks shared by the page tests: labels, size, and no exact place."""

from tests.frontend.html_page import Page

MAX_HTML_BYTES = 50_000  # issue 7: each page's HTML under 50 KB


def page_of(response) -> Page:
    return Page(response.content.decode())


def assert_every_control_is_labelled(response) -> None:
    """Every visible form control has a <label for=its id> with text."""
    page = page_of(response)
    labels = {label.attrs.get("for"): label.text.strip() for label in page.find_all("label")}
    controls = page.form_controls()
    assert controls, "no form control on the page"
    for control in controls:
        control_id = control.attrs.get("id")
        assert control_id, f"<{control.tag} name={control.attrs.get('name')}> has no id"
        assert labels.get(control_id), f"no <label for={control_id!r}> with text"


def assert_light(response) -> None:
    assert len(response.content) < MAX_HTML_BYTES, f"{len(response.content)} bytes"


def coordinate_texts(point, decimals=(3, 4, 5, 6)) -> list[str]:
    """How a point's coordinates could be written in a page: 50.467, 50,4669, ..."""
    texts = []
    for value in (point.y, point.x):
        for count in decimals:
            written = f"{value:.{count}f}"
            texts += [written, written.replace(".", ",")]
    return texts
