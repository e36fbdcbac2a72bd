"""The Jinja2 environment of the pages (autoescaped) and the one way a page is rendered."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Final, TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from pydantic import BaseModel, ValidationError

TEMPLATE_DIR: Final = Path(__file__).parent / "templates"
STATIC_DIR: Final = Path(__file__).parent / "static"
STATIC_PATH: Final = "/static"
_DIGITS: Final = re.compile(r"0|[1-9][0-9]{0,17}")  # one spelling per number: no sign, no "+1"
Address = TypeVar("Address", bound=BaseModel)
# The site's navigation, in order: (path, label). A page of another area adds its line here.
NAVIGATION: Final = (
    ("/leaderboard", "Leaderboard"),
    ("/ledger", "Ledger"),
    ("/dashboard", "Developers"),
)
# Pages show public data that changes as entries are appended: never cached by a proxy as
# another visitor's, and re-read on each visit.
PAGE_HEADERS: Final = {
    "Cache-Control": "no-store",
    # Everything comes from this server; scripts only from its static files (no inline code
    # runs: chart data travels in <script type="application/json"> blocks).
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _json_script(value: object) -> Markup:
    """``value`` as JSON safe inside a <script type="application/json"> element: ``<``, ``>``
    and ``&`` escaped so no string can close the element."""
    text = json.dumps(value, separators=(",", ":"), sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def credits(amount: int) -> str:
    """An integer amount with thousands separators ("12,345")."""
    return f"{amount:,}"


def key_groups(hex_text: str) -> str:
    """A key in groups of four characters, easier to compare by eye: the market key's
    fingerprint as the verify panel, ``privrec market serve`` and the app show it."""
    return " ".join(hex_text[i : i + 4] for i in range(0, len(hex_text), 4))


environment: Final = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,  # a missing value is a bug, not an empty cell
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.filters["json_script"] = _json_script
environment.filters["credits"] = credits
environment.filters["key_groups"] = key_groups


def render(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """The page ``template`` with ``context``; every page also gets the request's path (the
    navigation marks the current page) and the static files' URL prefix."""
    html = environment.get_template(template).render(
        **context,
        current_path=request.url.path,
        navigation=NAVIGATION,
        static=STATIC_PATH,
    )
    return HTMLResponse(html, status_code=status_code, headers=PAGE_HEADERS)


def validation_message(error: ValueError) -> str:
    """Why a page's query string was refused, as one sentence a reader can act on."""
    if isinstance(error, ValidationError):
        parts = [
            f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
            for problem in error.errors()
        ]
        reason = "; ".join(parts)
    else:
        reason = str(error)
    return f"This address asks for something the page cannot show ({reason})."


def page_query(
    request: Request, schema: type[Address], allowed: frozenset[str], *, with_path: bool = False
) -> Address:
    """A page's query string (and its path parameters too ``with_path``) as ``schema``, whose
    fields are whole numbers; ValueError (ValidationError included) for an unknown or repeated
    parameter or a value out of bounds."""
    items = request.query_params.multi_items()
    names = [name for name, _ in items]
    if len(set(names)) != len(names):
        raise ValueError("a parameter is given twice")
    unknown = set(names) - allowed
    if unknown:
        raise ValueError(f"unknown parameter {sorted(unknown)[0]!r:.40}")
    values = {**dict(items), **(request.path_params if with_path else {})}
    if not all(_DIGITS.fullmatch(str(value)) for value in values.values()):
        raise ValueError("every value is a whole number in plain decimal digits")
    return schema.model_validate(values)
