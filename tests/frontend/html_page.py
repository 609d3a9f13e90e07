"""A small reader of the HTML our pages send, for tests that check structure, not looks."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

FOCUSABLE_TAGS = {"a", "button", "input", "select", "textarea", "summary"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children_text: list[str] = field(default_factory=list)


class Page(HTMLParser):
    """Every element in document order, with its attributes and the text directly inside it."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        if tag not in {"input", "meta", "link", "br", "img", "hr"}:
            self._open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for element in self._open:
            element.text += data

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            element
            for element in self.elements
            if element.tag == tag
            and all(element.attrs.get(name) == value for name, value in attrs.items())
        ]

    def find(self, tag: str, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}> on the page"
        return found[0]

    def by_id(self, element_id: str) -> Element:
        found = [element for element in self.elements if element.attrs.get("id") == element_id]
        assert len(found) == 1, f"{len(found)} elements with id={element_id!r}"
        return found[0]

    def focusable(self) -> list[Element]:
        """Elements a keyboard reaches, in tab order (we never use a positive tabindex)."""
        return [
            element
            for element in self.elements
            if element.tag in FOCUSABLE_TAGS
            and not (element.tag == "input" and element.attrs.get("type") == "hidden")
            and not (element.tag == "a" and "href" not in element.attrs)
            and element.attrs.get("tabindex") != "-1"
        ]

    def form_controls(self) -> list[Element]:
        return [
            element
            for element in self.elements
            if element.tag in {"input", "select", "textarea"}
            and element.attrs.get("type") != "hidden"
        ]

    def text(self) -> str:
        html = self.find("html")
        return " ".join(html.text.split())
