"""Reading Stack Exchange `Posts.xml` dumps safely, and the four sites the web models ship.

The dumps are outside files: they are parsed with expat directly, refusing any DTD (so no
entity can be declared, expanded or fetched) and checking every attribute that is used.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

_CHUNK_BYTES = 1 << 16
QUESTION, ANSWER = 1, 2
# Stack Exchange relicensed contributions from CC BY-SA 3.0 to 4.0 on this day; rows without a
# ContentLicense attribute are licensed by their creation date.
LICENCE_CHANGE = datetime(2018, 5, 2, tzinfo=UTC)
LICENCE_URLS = {
    "CC BY-SA 3.0": "https://creativecommons.org/licenses/by-sa/3.0/",
    "CC BY-SA 4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
}


class PostsFormatError(ValueError):
    """A Posts.xml dump is not well-formed, declares a DTD, or has a row that cannot be used."""


@dataclass(frozen=True)
class Site:
    """One Stack Exchange site: its dump name, host, and the name browsers show in titles."""

    key: str
    host: str
    name: str

    def question_url(self, question_id: int) -> str:
        # The path browsers show is /questions/<id>/<slug>; linking /questions/<id> makes the
        # link a path-prefix of every page of the question (see CatalogIndex match="url").
        return f"https://{self.host}/questions/{question_id}"


SITES: dict[str, Site] = {
    site.key: site
    for site in (
        Site("beer", "beer.stackexchange.com", "Beer, Wine & Spirits Stack Exchange"),
        Site("coffee", "coffee.stackexchange.com", "Coffee Stack Exchange"),
        Site(
            "datascience-meta",
            "datascience.meta.stackexchange.com",
            "Data Science Meta Stack Exchange",
        ),
        Site(
            "matheducators",
            "matheducators.stackexchange.com",
            "Mathematics Educators Stack Exchange",
        ),
    )
}


@dataclass(frozen=True)
class Post:
    """The fields of one question or answer row that the web models use."""

    post_id: int
    post_type: int  # QUESTION or ANSWER
    created: datetime
    owner: int | None  # None for deleted accounts and the Community bot
    parent: int | None  # the question, for answers
    title: str  # questions only, else ""
    tags: tuple[str, ...]
    licence: str


def _int(attrs: dict[str, str], name: str, where: str) -> int:
    value = attrs.get(name)
    if value is None or not re.fullmatch(r"-?\d{1,18}", value):
        raise PostsFormatError(f"{where}: attribute {name!r} must be an integer, got {value!r}")
    return int(value)


def _time(value: str | None, where: str) -> datetime:
    # Dumps write UTC without a zone ("2014-01-21T20:26:05.383").
    if value is None or not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?", value):
        raise PostsFormatError(f"{where}: CreationDate must be an ISO time, got {value!r}")
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError as exc:
        raise PostsFormatError(f"{where}: CreationDate {value!r} is not a date") from exc


def _tags(value: str) -> tuple[str, ...]:
    # Older dumps write "<a><b>", newer ones "|a|b|".
    return tuple(t for t in re.split(r"[<>|]", value) if t)


def _post(attrs: dict[str, str], where: str) -> Post | None:
    post_id = _int(attrs, "Id", where)
    post_type = _int(attrs, "PostTypeId", where)
    if post_type not in (QUESTION, ANSWER):
        return None  # wiki excerpts, moderator nominations, ...: not pages people read
    created = _time(attrs.get("CreationDate"), where)
    owner = _int(attrs, "OwnerUserId", where) if "OwnerUserId" in attrs else None
    if owner is not None and owner < 0:
        owner = None  # -1 is the "Community" bot that owns wiki posts, not a person
    title = " ".join(attrs.get("Title", "").split())
    if post_type == QUESTION and not title:
        raise PostsFormatError(f"{where}: a question without a Title")
    licence = attrs.get("ContentLicense") or (
        "CC BY-SA 3.0" if created < LICENCE_CHANGE else "CC BY-SA 4.0"
    )
    if licence not in LICENCE_URLS:
        raise PostsFormatError(f"{where}: unknown ContentLicense {licence!r}")
    return Post(
        post_id=post_id,
        post_type=post_type,
        created=created,
        owner=owner,
        parent=_int(attrs, "ParentId", where) if post_type == ANSWER else None,
        title=title,
        tags=_tags(attrs.get("Tags", "")),
        licence=licence,
    )


def _refuse_dtd(*_: object) -> None:
    raise PostsFormatError("a DTD is not allowed in a Posts.xml dump (entities are refused)")


def read_posts(stream: BinaryIO, name: str) -> Iterator[Post]:
    """The questions and answers of a `Posts.xml` dump (`<posts><row .../>...</posts>`).

    `name` names the file in errors. Raises PostsFormatError on malformed XML, on any DTD or
    entity declaration, on elements other than rows inside <posts>, and on unusable rows.
    """
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    ready: list[Post] = []
    depth = 0

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        where = f"{name} line {parser.CurrentLineNumber}"
        if depth == 1 and tag != "posts":
            raise PostsFormatError(f"{where}: the root element is <{tag}>, not <posts>")
        if depth == 2 and tag != "row":
            raise PostsFormatError(f"{where}: unexpected element <{tag}> in <posts>")
        if depth > 2:
            raise PostsFormatError(f"{where}: <row> elements must be empty")
        if depth == 2:
            post = _post(attrs, where)
            if post is not None:
                ready.append(post)

    def end(_: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        while chunk := stream.read(_CHUNK_BYTES):
            parser.Parse(chunk, False)
            yield from ready
            ready.clear()
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as exc:
        raise PostsFormatError(f"{name}: malformed XML: {exc}") from None
    yield from ready
