"""Tests of the web data: the Posts.xml parser, the shipped Stack Exchange slice, its
time-respecting splits, matching browser visits to questions, and the web reference bundles."""

from __future__ import annotations

import gzip
import io
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from recommenders import stackexchange
from recommenders.activity import ActivityEvent, Category
from recommenders.bundle import load_bundle
from recommenders.datasets import DATA_DIR, DatasetError, Interactions
from recommenders.embeddings import TextEmbedder
from recommenders.features import (
    FEATURE_SCHEMA_VERSION,
    catalog_index,
    extract_features,
    tower_inputs,
)
from recommenders.reference import shipped_bundle
from recommenders.stackexchange_posts import ANSWER, QUESTION, Post, PostsFormatError, read_posts
from recommenders.tasks import Task, load_task
from recommenders.tower import TowerRunner

GOOD_DUMP = """\ufeff<?xml version="1.0" encoding="utf-8"?>
<posts>
  <row Id="1" PostTypeId="1" CreationDate="2015-01-27T20:09:32.720" OwnerUserId="4"
       Title="How should I store whole bean coffee?" Tags="&lt;storage&gt;&lt;whole-bean&gt;" />
  <row Id="2" PostTypeId="2" ParentId="1" CreationDate="2019-02-01T10:00:00" OwnerUserId="-1" />
  <row Id="3" PostTypeId="1" CreationDate="2020-03-01T08:00:00.5" OwnerUserId="9"
       Title="Tea &amp; coffee?" Tags="|tea|caffeine|" ContentLicense="CC BY-SA 3.0" />
  <row Id="4" PostTypeId="5" CreationDate="2015-01-27T20:09:32" />
</posts>
"""


def parse(text: str) -> list[Post]:
    return list(read_posts(io.BytesIO(text.encode()), "test.Posts.xml"))


def test_parser_reads_questions_and_answers() -> None:
    first, answer, second = parse(GOOD_DUMP)  # the tag-wiki row (type 5) is not a page
    assert (first.post_type, first.post_id, first.owner) == (QUESTION, 1, 4)
    assert first.title == "How should I store whole bean coffee?"
    assert first.tags == ("storage", "whole-bean")
    assert first.created == datetime(2015, 1, 27, 20, 9, 32, 720000, tzinfo=UTC)
    assert first.licence == "CC BY-SA 3.0"  # before 2 May 2018
    assert (answer.post_type, answer.parent, answer.owner) == (ANSWER, 1, None)  # Community bot
    assert answer.licence == "CC BY-SA 4.0"
    assert second.title == "Tea & coffee?" and second.tags == ("tea", "caffeine")
    assert second.licence == "CC BY-SA 3.0"  # the row's own ContentLicense wins


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE posts [
  <!ENTITY a "aaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<posts><row Id="1" PostTypeId="1" CreationDate="2015-01-01T00:00:00" Title="&c;" /></posts>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE posts [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<posts><row Id="1" PostTypeId="1" CreationDate="2015-01-01T00:00:00" Title="&secret;" /></posts>
"""
EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE posts SYSTEM "http://example.com/posts.dtd">
<posts />
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BILLION_LAUGHS, "a DTD is not allowed"),
        (EXTERNAL_ENTITY, "a DTD is not allowed"),
        (EXTERNAL_DTD, "a DTD is not allowed"),
        ('<posts><row Id="1" PostTypeId="1" Title="&undefined;" /></posts>', "malformed XML"),
        ('<posts><row Id="1" PostTypeId="1"', "malformed XML"),
        ("<posts></post>", "malformed XML"),
        ("", "malformed XML"),
        ("<users />", "root element is <users>"),
        ("<posts><user /></posts>", "unexpected element <user>"),
        (
            '<posts><row Id="1" PostTypeId="1" CreationDate="2015-01-01T00:00:00" Title="t">'
            "<row /></row></posts>",
            "must be empty",
        ),
        ('<posts><row Id="x" PostTypeId="1" /></posts>', "'Id' must be an integer"),
        ('<posts><row Id="1" PostTypeId="1" CreationDate="2015-01-01" /></posts>', "CreationDate"),
        (
            '<posts><row Id="1" PostTypeId="1" CreationDate="2015-13-01T00:00:00" /></posts>',
            "is not a date",
        ),
        (
            '<posts><row Id="1" PostTypeId="1" CreationDate="2015-01-01T00:00:00" /></posts>',
            "a question without a Title",
        ),
        (
            '<posts><row Id="2" PostTypeId="2" CreationDate="2015-01-01T00:00:00" /></posts>',
            "'ParentId' must be an integer",
        ),
        (
            '<posts><row Id="1" PostTypeId="1" CreationDate="2015-01-01T00:00:00" Title="t"'
            ' ContentLicense="All rights reserved" /></posts>',
            "unknown ContentLicense",
        ),
    ],
)
def test_parser_rejects_malformed_or_hostile_xml(text: str, message: str) -> None:
    with pytest.raises(PostsFormatError, match=message):
        parse(text)


def test_parser_error_names_the_file_and_line() -> None:
    text = '<posts>\n<row Id="1" PostTypeId="1" CreationDate="2015-01-01T00:00:00" />\n</posts>'
    with pytest.raises(PostsFormatError, match=r"test\.Posts\.xml line 2"):
        parse(text)


def test_shipped_slice_has_the_documented_size() -> None:
    data = stackexchange.load_stackexchange()
    assert len(data.catalog) == 1542
    assert len(data.events) == 5261 and len(data.user_ids) == 1443
    assert set(data.catalog.categories) == {Category.WEB}
    links = [m["link"] for m in data.catalog.metadata]
    assert all(
        link.startswith("https://") and "stackexchange.com/questions/" in link for link in links
    )
    assert {m["licence"] for m in data.catalog.metadata} == {"CC BY-SA 3.0", "CC BY-SA 4.0"}


def test_loader_refuses_a_question_linking_elsewhere(tmp_path: Path) -> None:
    base = tmp_path / "stackexchange"
    shutil.copytree(DATA_DIR / "stackexchange", base)
    questions = gzip.decompress((base / "questions.csv.gz").read_bytes()).decode()
    tampered = questions.replace(
        "https://coffee.stackexchange.com/questions/1,", "https://evil.example/questions/1,", 1
    )
    assert tampered != questions
    (base / "questions.csv.gz").write_bytes(gzip.compress(tampered.encode()))
    with pytest.raises(DatasetError, match="coffee:1 has a foreign link"):
        stackexchange.load_stackexchange.__wrapped__(tmp_path)


def test_cutoff_split_holds_out_new_answers_after_each_sites_cutoff() -> None:
    # (user, item, time, answered, site): site "a" lives on days 0-9, site "b" on days 100-109.
    rows = [
        (0, 0, 0, False, "a"), (0, 1, 1, True, "a"), (1, 1, 2, True, "a"), (1, 2, 3, True, "a"),
        (0, 2, 8, True, "a"),  # held out: new to user 0, answered after a's cut-off
        (0, 1, 9, True, "a"),  # not held out: user 0 answered item 1 before
        (1, 3, 9, False, "a"),  # not held out: asked, not answered
        (2, 2, 9, True, "a"),  # not held out: user 2 has no history before the cut-off
        (3, 5, 100, True, "b"), (3, 6, 101, True, "b"), (4, 5, 102, True, "b"),
        (4, 6, 103, True, "b"),
        (4, 7, 104, True, "b"), (3, 7, 108, True, "b"), (4, 8, 109, True, "b"),  # held out
    ]  # fmt: skip
    users, items, days, answered, sites = (np.array(c) for c in zip(*rows, strict=True))
    events = Interactions(
        users=users.astype(np.int64),
        items=items.astype(np.int64),
        weights=np.ones(len(rows), np.float32),
        times=days.astype(np.int64) * 86_400,
    )
    cut = stackexchange.cutoff_split(events, answered, sites, fraction=0.5)
    # Each site's cut-off falls just after its median event (the lower one).
    assert cut.cutoffs == {"a": 3 * 86_400 + 1, "b": 103 * 86_400 + 1}
    held = list(zip(cut.split.test.users.tolist(), cut.split.test.items.tolist(), strict=True))
    assert held == [(0, 2), (4, 7), (3, 7), (4, 8)]
    assert cut.event_rows.tolist() == [0, 1, 2, 3, 8, 9, 10, 11]
    with pytest.raises(ValueError, match="one answered flag and one site per event"):
        stackexchange.cutoff_split(events, answered[:-1], sites)


@pytest.mark.parametrize("validation", [False, True])
def test_split_respects_time(validation: bool) -> None:
    data = stackexchange.load_stackexchange()
    task = load_task("stackexchange", validation=validation)
    split = task.split
    assert split.test.times is not None and split.train.times is not None
    assert len(split.test) > 100 and split.test_users().size > 50
    for user in split.test_users().tolist():
        site = data.user_sites[user]
        cutoff = task.times[user]
        # Nothing this user's site did at or after the cut-off is in training ...
        same_site = np.array([data.user_sites[u] == site for u in split.train.users.tolist()])
        assert split.train.times[same_site].max() < cutoff.timestamp()
        # ... every held-out event is at or after it, and new to the user.
        held = split.test.users == user
        assert split.test.times[held].min() >= cutoff.timestamp()
        seen = set(split.train.items[split.train.users == user].tolist())
        assert seen and seen.isdisjoint(split.test.items[held].tolist())


def test_validation_stage_lies_inside_the_training_period() -> None:
    test_stage = load_task("stackexchange")
    validation = load_task("stackexchange", validation=True)
    assert test_stage.validation is not None
    assert len(validation.split.test) == len(test_stage.validation.test)
    assert len(validation.train) + len(validation.split.test) <= len(test_stage.train)
    cutoff = {site: test_stage.times[user] for user, site in _test_users_and_sites(test_stage)}
    for user, site in _test_users_and_sites(validation):
        assert validation.times[user] < cutoff[site]


def _test_users_and_sites(task: Task) -> list[tuple[int, str]]:
    sites = stackexchange.load_stackexchange().user_sites
    return [(user, sites[user]) for user in task.split.test_users().tolist()]


def visit(url: str, title: str) -> ActivityEvent:
    return ActivityEvent(Category.WEB, "firefox", title, url, datetime(2024, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("url", "title", "expected"),
    [
        (
            "https://coffee.stackexchange.com/questions/1/how-should-i-store-whole-bean-coffee"
            "?answertab=votes#tab-top",
            "How should I store whole bean coffee? - Coffee Stack Exchange",
            ["coffee:1"],
        ),
        # An answer's permalink under the question, with www. and an upper-case host.
        ("https://WWW.Coffee.StackExchange.com/questions/1/slug/24#24", "x", ["coffee:1"]),
        # /questions/12 must not be taken for /questions/1.
        ("https://coffee.stackexchange.com/questions/12/slug", "x", ["coffee:12"]),
        (
            "https://datascience.meta.stackexchange.com/questions/6/can-we",
            "x",
            ["datascience-meta:6"],
        ),
        ("https://coffee.stackexchange.com/questions", "Newest questions", []),
        # A copy of the page elsewhere still matches by its title without the site suffix.
        (
            "https://mirror.example/coffee/1",
            "storage - How should I store whole bean coffee? - Coffee Stack Exchange",
            ["coffee:1"],
        ),
        ("https://example.com/", "Example Domain", []),
    ],
)
def test_browser_visits_match_questions(url: str, title: str, expected: list[str]) -> None:
    task = load_task("stackexchange")
    rows = task.index().match(visit(url, title))
    assert [task.catalog.item_ids[r] for r in rows] == expected


@pytest.mark.parametrize("name", ["web-two-tower", "web-content"])
def test_web_bundles_load_with_their_catalog_description(name: str) -> None:
    loaded = load_bundle(shipped_bundle(name), feature_schema=FEATURE_SCHEMA_VERSION)
    manifest = loaded.manifest
    assert manifest.categories == ("web",)
    assert manifest.items == len(loaded.catalog) == 1542
    info = manifest.catalog
    assert info == stackexchange.STACKEXCHANGE
    assert info.match == "url" and info.link_field == "link" and not info.non_commercial
    assert manifest.policy == "new-only"
    assert manifest.relevance_floor is not None and np.isfinite(manifest.relevance_floor)
    # The device's index over the bundle's own catalog finds a question from a visit.
    index = catalog_index(loaded.catalog, manifest)
    url = "https://beer.stackexchange.com/questions/2/when-was-the-first-beer-ever-brewed"
    (row,) = index.match(visit(url, "When was the first beer ever brewed?"))
    assert loaded.catalog.item_ids[row] == "beer:2"


def _best_score(name: str, pages: list[tuple[str, str]], embedder: TextEmbedder) -> float:
    loaded = load_bundle(shipped_bundle(name), feature_schema=FEATURE_SCHEMA_VERSION)
    manifest = loaded.manifest
    now = datetime(2024, 6, 1, tzinfo=UTC)
    events = [
        ActivityEvent(Category.WEB, "firefox", title, url, now - timedelta(days=day))
        for day, (url, title) in enumerate(pages)
    ]
    index = catalog_index(loaded.catalog, manifest)
    features = extract_features(
        events, {Category.WEB}, manifest.categories, index, embedder=embedder, now=now
    )
    user = TowerRunner(manifest, loaded.tower)(tower_inputs(manifest.inputs, features))
    return float((loaded.items.astype(np.float64) @ user).max())


@pytest.mark.slow
@pytest.mark.parametrize("name", ["web-two-tower", "web-content"])
def test_relevance_floor_tells_unrelated_browsing_from_a_coffee_reader(
    name: str, real_embedder: TextEmbedder
) -> None:
    unrelated = [
        ("https://www.bbc.com/news", "Home - BBC News"),
        ("https://www.amazon.com/dp/B08KTZ8249", "Amazon.com: Kindle Paperwhite"),
        ("https://www.yr.no/en", "Weather forecast for Helsinki - Yr"),
        ("https://www.imdb.com/title/tt0111161/", "The Shawshank Redemption (1994) - IMDb"),
    ]
    coffee = [
        ("https://example.com/espresso", "How to dial in espresso grind size"),
        ("https://example.com/ratio", "Best pour over coffee ratio - Home Barista"),
        ("https://example.com/sour", "Why does my coffee taste sour?"),
    ]
    manifest = load_bundle(shipped_bundle(name), feature_schema=FEATURE_SCHEMA_VERSION).manifest
    floor = manifest.relevance_floor
    assert floor is not None
    assert _best_score(name, unrelated, real_embedder) < floor
    assert _best_score(name, coffee, real_embedder) > floor
