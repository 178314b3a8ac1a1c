"""Find the forms of a page with html.parser and fill them (used by the hostile-input tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

TEXT_TYPES = {"text", "search", "email", "url", "tel", ""}
PLAUSIBLE = {"email": "sicher@example.org", "url": "https://example.org", "tel": "+49 341 123456"}


@dataclass
class Form:
    """A form as the browser would send it: its text fields and the values of everything else."""

    method: str
    action: str
    multipart: bool
    text_fields: list[str] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)  # a valid-looking value per text field
    fixed: dict[str, list[str]] = field(default_factory=dict)
    has_password: bool = False
    numeric_fields: list[str] = field(default_factory=list)  # type=number or inputmode decimal/numeric

    def payload_number(self, target: str, value: str) -> dict[str, list[str]]:
        """The form data with value in one numeric field and the page's (or plausible) values elsewhere."""
        data = {name: list(values) for name, values in self.fixed.items()}
        for name in self.text_fields:
            data[name] = [self.defaults[name]]
        data[target] = [value]
        return data

    def payload(self, value: str) -> dict[str, list[str]]:
        """The form data with every text field set to value and the rest kept valid."""
        data = {name: list(values) for name, values in self.fixed.items()}
        for name in self.text_fields:
            data[name] = [value]
        return data

    def payload_in(self, target: str, value: str) -> dict[str, list[str]]:
        """The form data with value in one text field and the page's (or plausible) values elsewhere."""
        data = {name: list(values) for name, values in self.fixed.items()}
        for name in self.text_fields:
            data[name] = [value if name == target else self.defaults[name]]
        return data


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None
        self.select_options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            self.current = Form(method=(a.get("method") or "get").lower(), action=urlsplit(action).path
                                + (f"?{urlsplit(action).query}" if urlsplit(action).query else ""),
                                multipart="multipart" in a.get("enctype", ""))
            return
        form = self.current
        if form is None or not a.get("name") or "disabled" in a:
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "number" or a.get("inputmode") in ("decimal", "numeric"):
                form.numeric_fields.append(name)
            if kind in TEXT_TYPES:
                form.text_fields.append(name)
                form.defaults[name] = a.get("value") or PLAUSIBLE.get(kind, "Testwert 1")
            elif kind == "password":
                form.has_password = True
                form.fixed.setdefault(name, []).append("Geheim-Passwort-123")
            elif kind in ("checkbox", "radio"):
                if "checked" in a or ("required" in a and kind == "checkbox"):
                    form.fixed.setdefault(name, []).append(a.get("value", "y"))
                elif kind == "radio" and name not in form.fixed:
                    form.fixed[name] = [a.get("value", "")]
            elif kind in ("submit", "button", "reset", "image", "file"):
                return
            else:  # hidden, number, date, …: keep what the page put there
                form.fixed.setdefault(name, []).append(a.get("value", ""))
        elif tag == "textarea":
            form.text_fields.append(name)
            form.defaults[name] = "Ein ausreichend langer, harmloser Beispieltext für dieses Feld."
        elif tag == "select":
            self.select, self.select_options = name, []
        elif tag == "option" and self.select:
            self.select_options.append((a.get("value", ""), "selected" in a))

    def handle_endtag(self, tag):
        if tag == "select" and self.current is not None and self.select:
            chosen = [v for v, selected in self.select_options if selected]
            if not chosen:
                chosen = [next((v for v, _ in self.select_options if v), "")]
            self.current.fixed[self.select] = chosen[:1]
            self.select = None
        elif tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None


def forms_of(page_url: str, html: str) -> list[Form]:
    """Every form of the page."""
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms
