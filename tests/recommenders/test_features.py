"""Tests of the activity vocabulary and the on-device feature schema."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommenders.activity import (
    MAX_TITLE_CHARS,
    ActivityEvent,
    Category,
    InvalidActivityError,
    parse_category,
)
from recommenders.embeddings import EMBEDDING_DIM
from recommenders.features import (
    FEATURE_SCHEMA_VERSION,
    HALF_LIFE_DAYS,
    PROFILE_DIM,
    CatalogIndex,
    CategoryNotOptedInError,
    catalog_history,
    category_profile,
    category_profiles,
    check_categories,
    describe_schema,
    extract_features,
    normalise_title,
    recency_weights,
    track_title,
    url_key,
)

from .conftest import NOW, FakeEmbedder


@dataclass(frozen=True)
class TinyCatalog:
    item_ids: tuple[str, ...]
    titles: tuple[str, ...]


# ----------------------------------------------------------------------------- ActivityEvent


def test_activity_event_normalises_time_to_utc_and_category_from_string():
    paris = timezone(timedelta(hours=2))
    when = datetime(2024, 1, 1, 14, tzinfo=paris)
    event = ActivityEvent("books", "shop", "Dune", None, when, 2)  # type: ignore[arg-type]
    assert event.category is Category.BOOKS
    assert event.time == datetime(2024, 1, 1, 12, tzinfo=UTC)
    assert event.time.tzinfo is UTC
    assert event.weight == 2.0 and isinstance(event.weight, float)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"category": "movies"}, "unknown category 'movies'"),
        ({"category": None}, "unknown category"),
        ({"title": ""}, "title must be a non-empty string"),
        ({"title": "   "}, "title must be a non-empty string"),
        ({"title": "x" * (MAX_TITLE_CHARS + 1)}, "limit is 1000"),
        ({"source": ""}, "source must be"),
        ({"external_id": ""}, "external_id"),
        ({"time": datetime(2024, 1, 1)}, "timezone-aware"),
        ({"time": "2024-01-01T00:00:00Z"}, "must be a datetime"),
        ({"weight": 0.0}, "finite and > 0"),
        ({"weight": -1.0}, "finite and > 0"),
        ({"weight": math.nan}, "finite and > 0"),
        ({"weight": math.inf}, "finite and > 0"),
        ({"weight": True}, "must be a number"),
        ({"weight": "1"}, "must be a number"),
    ],
)
def test_activity_event_rejects_bad_input(changes, message):
    fields: dict[str, Any] = {
        "category": Category.BOOKS,
        "source": "shop",
        "title": "Dune",
        "external_id": None,
        "time": NOW,
        "weight": 1.0,
    }
    fields.update(changes)
    with pytest.raises(InvalidActivityError, match=message) as info:
        ActivityEvent(**fields)
    assert isinstance(info.value, ValueError)


def test_title_at_the_limit_is_accepted(make_event):
    assert len(make_event("x" * MAX_TITLE_CHARS).title) == MAX_TITLE_CHARS


def test_activity_event_is_frozen(make_event):
    event = make_event()
    with pytest.raises(AttributeError):
        event.title = "other"


def test_parse_category():
    assert parse_category("music") is Category.MUSIC
    assert parse_category(Category.WEB) is Category.WEB
    with pytest.raises(InvalidActivityError, match="expected one of: web, music"):
        parse_category("Music")


# ------------------------------------------------------------------------------ title matching


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("WHITE METAL LANTERN", "white metal lantern"),
        (
            "  Harry   Potter,\tand the  Sorcerer's Stone (#1) ",
            "harry potter and the sorcerers stone 1",
        ),
        ("T-LIGHT HOLDER", "tlight holder"),
        ("«Straße»!", "strasse"),
        ("\uff26\uff35\uff2c\uff2c\u3000\uff37\uff29\uff24\uff34\uff28", "full width"),
        ("...", ""),
    ],
)
def test_normalise_title(title, expected):
    assert normalise_title(title) == expected


# ------------------------------------------------------------------------------ recency decay


def test_recency_weights_halve_every_half_life(make_event):
    events = [
        make_event(days_ago=0, weight=2.0),
        make_event(days_ago=HALF_LIFE_DAYS, weight=2.0),
        make_event(days_ago=2 * HALF_LIFE_DAYS, weight=1.0),
        # A clock running ahead must not make an event count for more than a fresh one.
        make_event(days_ago=-30, weight=1.0),
    ]
    np.testing.assert_allclose(recency_weights(events, NOW), [2.0, 1.0, 0.25, 1.0])


def test_recency_weights_need_an_aware_now(make_event):
    with pytest.raises(ValueError, match="timezone-aware"):
        recency_weights([make_event()], datetime(2024, 1, 1))


# ---------------------------------------------------------------------------- category profile


def basis(i: int) -> np.ndarray:
    v = np.zeros(EMBEDDING_DIM, dtype=np.float32)
    v[i] = 1.0
    return v


def test_profile_is_the_normalised_recency_weighted_mean(make_event):
    events = [make_event("new", days_ago=0), make_event("old", days_ago=HALF_LIFE_DAYS)]
    # Embeddings that are not unit length are normalised first.
    embeddings = np.stack([basis(0) * 3.0, basis(1)])

    profile = category_profile(events, embeddings, NOW)

    assert profile.shape == (PROFILE_DIM,)
    assert profile.dtype == np.float32
    np.testing.assert_allclose(profile[:2], np.array([2.0, 1.0]) / math.sqrt(5.0), rtol=1e-6)
    assert not profile[2:EMBEDDING_DIM].any()
    np.testing.assert_allclose(profile[EMBEDDING_DIM:], [math.log1p(2), math.log1p(2)])


def test_profile_weights_multiply_the_decay(make_event):
    events = [make_event("a", weight=1.0), make_event("b", weight=3.0)]
    profile = category_profile(events, np.stack([basis(0), basis(1)]), NOW)
    np.testing.assert_allclose(profile[:2], np.array([1.0, 3.0]) / math.sqrt(10.0), rtol=1e-6)


def test_profile_counts_distinct_titles_after_normalisation(make_event):
    events = [make_event("Dune"), make_event("DUNE!"), make_event("dune "), make_event("Emma")]
    embeddings = np.stack([basis(0)] * 3 + [basis(1)])
    profile = category_profile(events, embeddings, NOW)
    np.testing.assert_allclose(profile[EMBEDDING_DIM:], [math.log1p(4), math.log1p(2)])


def test_empty_or_cancelling_profiles_are_zero_not_nan(make_event):
    empty = category_profile([], np.zeros((0, EMBEDDING_DIM), np.float32), NOW)
    assert empty.shape == (PROFILE_DIM,) and not empty.any()

    opposite = category_profile(
        [make_event("up"), make_event("down")], np.stack([basis(0), -basis(0)]), NOW
    )
    assert np.all(np.isfinite(opposite))
    assert not opposite[:EMBEDDING_DIM].any()
    assert opposite[EMBEDDING_DIM] == pytest.approx(math.log1p(2))


def test_profile_rejects_misaligned_embeddings(make_event):
    with pytest.raises(ValueError, match="one 384-d embedding per event"):
        category_profile([make_event()], np.zeros((2, EMBEDDING_DIM), np.float32), NOW)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(min_size=1, max_size=20).filter(str.strip),
            st.floats(min_value=0.0, max_value=10_000.0),
            st.floats(min_value=1e-3, max_value=1e3),
        ),
        max_size=12,
    )
)
def test_profile_is_finite_and_unit_or_zero(rows):
    events = [
        ActivityEvent(Category.WEB, "browser", title, None, NOW - timedelta(days=age), weight)
        for title, age, weight in rows
    ]
    embedder = FakeEmbedder()
    profile = category_profile(
        events, embedder.embed([e.title for e in events]).reshape(-1, EMBEDDING_DIM), NOW
    )
    assert np.all(np.isfinite(profile))
    norm = float(np.linalg.norm(profile[:EMBEDDING_DIM]))
    assert norm == pytest.approx(1.0, abs=1e-5) or norm == 0.0
    assert profile[EMBEDDING_DIM] == pytest.approx(math.log1p(len(events)))
    assert 0.0 <= profile[EMBEDDING_DIM + 1] <= profile[EMBEDDING_DIM] + 1e-6


# ----------------------------------------------------------------------------- catalog history

CATALOG = TinyCatalog(
    item_ids=("A1", "B2", "C3", "D4"),
    titles=("White Metal Lantern", "Dune", "Emma", "dune"),
)


def test_history_matches_by_id_for_the_same_source_and_by_title_otherwise(make_event):
    index = CatalogIndex(CATALOG, source="shop")
    events = [
        # Same source: the id decides, whatever the title says.
        make_event("Anything", source="shop", external_id="A1"),
        # Same source but an id the catalog lacks: no match, not a title guess.
        make_event("Emma", source="shop", external_id="ZZ"),
        # Another source's ids mean nothing here: the title decides.
        make_event("WHITE METAL LANTERN!", source="other", external_id="C3"),
        # No id at all: the title decides.
        make_event("emma", source="shop"),
        make_event("Not in the catalog", source="other"),
    ]
    history = catalog_history(events, index, NOW)
    assert history.size == 4
    np.testing.assert_array_equal(history.indices, [0, 2])
    np.testing.assert_allclose(history.weights, [2.0, 1.0])
    np.testing.assert_allclose(history.to_dense(), [2.0, 0.0, 1.0, 0.0])


def test_history_decays_and_splits_weight_over_duplicate_titles(make_event):
    index = CatalogIndex(CATALOG, source="shop")
    events = [
        make_event("DUNE", source="other", days_ago=HALF_LIFE_DAYS, weight=4.0),
        make_event("Emma", source="other", days_ago=2 * HALF_LIFE_DAYS),
    ]
    history = catalog_history(events, index, NOW)
    # "Dune" and "dune" are two rows with one normalised title: each gets half of 4 x 0.5.
    np.testing.assert_array_equal(history.indices, [1, 2, 3])
    np.testing.assert_allclose(history.weights, [1.0, 0.25, 1.0])
    assert history.weights.dtype == np.float32


def test_empty_history(make_event):
    history = catalog_history([], CatalogIndex(CATALOG, source="shop"), NOW)
    assert history.indices.size == 0 and history.weights.size == 0
    assert not history.to_dense().any() and history.to_dense().shape == (4,)


def test_catalog_index_checks_lengths():
    with pytest.raises(ValueError, match="different lengths"):
        CatalogIndex(TinyCatalog(("a", "b"), ("only one",)), source="shop")


ARTISTS = TinyCatalog(
    item_ids=("1", "2", "3"),
    titles=("Molchat Doma", "Grup Yorum", "Dune"),
)


def test_artist_catalogs_match_the_artist_of_a_play(make_event):
    index = CatalogIndex(ARTISTS, source="lastfm", match="artist")
    assert index.match(make_event(track_title("MOLCHAT DOMA", "Клетка"), source="spotify")) == [0]
    # A full-title match wins over the artist part; a bare track title matches nothing.
    assert index.match(make_event("Dune", source="spotify")) == [2]
    assert index.match(make_event("Клетка", source="spotify")) == []
    # Catalogs matched by title do not split titles.
    plain = CatalogIndex(ARTISTS, source="lastfm")
    assert plain.match(make_event(track_title("Molchat Doma", "Клетка"), source="spotify")) == []


QUESTIONS = TinyCatalog(
    item_ids=("coffee:1", "coffee:2", "beer:1", "site"),
    titles=("How to store beans?", "Grind size?", "What is an IPA?", "Math Educators"),
)
QUESTION_LINKS = (
    "https://coffee.stackexchange.com/questions/1",
    "https://coffee.stackexchange.com/questions/2",
    "https://beer.stackexchange.com/q/1",
    "https://matheducators.stackexchange.com/",
)


@pytest.mark.parametrize(
    ("url", "rows"),
    [
        ("https://coffee.stackexchange.com/questions/1/how-to-store-beans?rq=1#answer-3", [0]),
        ("http://www.Coffee.StackExchange.com/questions/2/", [1]),
        ("https://coffee.stackexchange.com/questions/12/other", []),
        ("https://beer.stackexchange.com/q/1", [2]),
        ("https://matheducators.stackexchange.com/questions/99/anything", [3]),
        ("https://example.org/questions/1", []),
        ("about:blank", []),
    ],
)
def test_url_catalogs_match_the_longest_link_prefix_of_a_visited_page(make_event, url, rows):
    index = CatalogIndex(QUESTIONS, source="stackexchange", match="url", links=QUESTION_LINKS)
    assert index.match(make_event("Some page title", source="firefox", external_id=url)) == rows


def test_url_keys_drop_scheme_www_query_fragment_and_empty_segments():
    assert url_key("HTTPS://www.Example.org//a/b/?q=1#f") == ("example.org", "a", "b")
    assert url_key("https://user@example.org/x") == ("example.org", "x")
    assert url_key("ftp://example.org/x") is None
    assert url_key("https://") is None


def test_url_matching_needs_one_link_per_item_and_known_modes():
    with pytest.raises(ValueError, match="one link"):
        CatalogIndex(QUESTIONS, source="s", match="url", links=QUESTION_LINKS[:2])
    with pytest.raises(ValueError, match="unknown match 'fuzzy'"):
        CatalogIndex(QUESTIONS, source="s", match="fuzzy")


def test_track_title_names_plays_like_the_importers():
    assert track_title(" Molchat Doma ", "Клетка ") == "Molchat Doma — Клетка"
    assert track_title(None, "Клетка") == "Клетка"
    assert track_title("Molchat Doma", " ") == ""


# ---------------------------------------------------------------------------- extract_features


def test_extract_features_never_reads_a_category_not_opted_in(make_event, fake_embedder):
    secret_purchase = "Pregnancy test, pack of 2"
    secret_place = "Oncology clinic, 4th floor"
    events = [
        make_event("Dune", category=Category.BOOKS),
        make_event(secret_purchase, category=Category.PURCHASES),
        make_event(secret_place, category=Category.PLACES),
        make_event("Some song", category=Category.MUSIC),
    ]
    catalog = TinyCatalog(("b", "p", "x"), ("Dune", secret_purchase, secret_place))

    features = extract_features(
        events,
        opted_in={Category.BOOKS, Category.MUSIC},
        categories_read=[Category.BOOKS],
        catalog=CatalogIndex(catalog, source="shop"),
        embedder=fake_embedder,
        now=NOW,
    )

    # Music is opted in but not read by this model, so it is not embedded either.
    assert fake_embedder.seen == {"Dune"}
    assert features.categories == (Category.BOOKS,)
    assert set(features.profiles) == {Category.BOOKS}
    assert features.history is not None
    np.testing.assert_array_equal(features.history.indices, [0])


def test_profiles_computed_once_per_round_equal_each_models_own(make_event, fake_embedder):
    secret_place = "Oncology clinic, 4th floor"
    events = [
        make_event("Dune", category=Category.BOOKS),
        make_event("Emma", category=Category.BOOKS, days_ago=40),
        make_event("Some song", category=Category.MUSIC, days_ago=3),
        make_event(secret_place, category=Category.PLACES),
    ]
    opted_in = {Category.BOOKS, Category.MUSIC}
    profiles = category_profiles(events, opted_in, embedder=fake_embedder, now=NOW)
    assert set(profiles) == opted_in
    assert secret_place not in fake_embedder.seen  # not opted in: never read
    catalog = CatalogIndex(TinyCatalog(("b", "e"), ("Dune", "Emma")), source="shop")
    for read in ([Category.BOOKS], [Category.MUSIC, Category.BOOKS]):
        own = extract_features(events, opted_in, read, catalog, embedder=FakeEmbedder(), now=NOW)
        calls = len(fake_embedder.calls)
        shared = extract_features(
            events, opted_in, read, catalog, embedder=fake_embedder, now=NOW, profiles=profiles
        )
        assert len(fake_embedder.calls) == calls  # nothing embedded again
        assert shared.categories == own.categories
        for category in own.categories:
            np.testing.assert_array_equal(shared.profiles[category], own.profiles[category])
        assert shared.history is not None and own.history is not None
        np.testing.assert_array_equal(shared.history.to_dense(), own.history.to_dense())
    with pytest.raises(ValueError, match=r"no precomputed profile for music"):
        extract_features(
            events,
            opted_in,
            [Category.MUSIC],
            embedder=fake_embedder,
            now=NOW,
            profiles={Category.BOOKS: profiles[Category.BOOKS]},
        )


def test_a_model_reading_a_category_not_opted_in_is_refused(make_event, fake_embedder):
    with pytest.raises(CategoryNotOptedInError, match=r"needs places, purchases \(not opted in\)"):
        extract_features(
            [make_event("Dune")],
            opted_in={Category.BOOKS},
            categories_read=["books", "purchases", "places"],
            embedder=fake_embedder,
            now=NOW,
        )
    assert fake_embedder.calls == []


def test_an_optional_category_not_opted_in_is_left_out_unread(make_event, fake_embedder):
    secret_place = "Oncology clinic, 4th floor"
    events = [
        make_event("Some song", category=Category.MUSIC),
        make_event(secret_place, category=Category.PLACES),
        make_event("Dune", category=Category.BOOKS),
    ]
    catalog = TinyCatalog(("d", "x"), ("Dune", secret_place))
    features = extract_features(
        events,
        opted_in={Category.MUSIC},
        categories_read=["books", "music", "places"],
        catalog=CatalogIndex(catalog, source="shop"),
        embedder=fake_embedder,
        now=NOW,
        optional=["books", "music", "places"],
    )
    # Neither the embedder nor the catalog matching saw a title of a category left out.
    assert fake_embedder.seen == {"Some song"}
    assert features.categories == (Category.MUSIC,)
    assert set(features.profiles) == {Category.MUSIC}
    assert features.history is not None and features.history.indices.size == 0


def test_required_categories_must_be_opted_in_even_beside_optional_ones(make_event, fake_embedder):
    with pytest.raises(CategoryNotOptedInError, match=r"^needs books \(not opted in\)$"):
        extract_features(
            [make_event("Dune")],
            opted_in={Category.MUSIC, Category.WEB},
            categories_read=["books", "music", "web"],
            optional=["music", "web"],
            embedder=fake_embedder,
            now=NOW,
        )
    assert fake_embedder.calls == []


def test_a_model_of_optional_categories_only_needs_one_of_them(make_event, fake_embedder):
    with pytest.raises(CategoryNotOptedInError, match=r"needs one of music, web \(none opted in\)"):
        check_categories({"books"}, ["music", "web"], optional=["music", "web"])
    assert check_categories({"web"}, ["music", "web"], optional=["music", "web"]) == (Category.WEB,)
    # An optional category the model does not read changes nothing.
    assert check_categories({"books"}, ["books"], optional=["music"]) == (Category.BOOKS,)


def test_unknown_category_names_are_rejected(fake_embedder):
    with pytest.raises(InvalidActivityError, match="unknown category 'films'"):
        extract_features(
            [], opted_in={"films"}, categories_read=[], embedder=fake_embedder, now=NOW
        )
    with pytest.raises(InvalidActivityError, match="unknown category 'films'"):
        extract_features(
            [], opted_in={"books"}, categories_read=["films"], embedder=fake_embedder, now=NOW
        )


def test_extract_features_profiles_in_schema_order(make_event, embedder_with):
    embedder = embedder_with({"Dune": basis(0), "Song": basis(1), "Kettle": basis(2)})
    events = [
        make_event("Song", category=Category.MUSIC),
        make_event("Dune", category=Category.BOOKS, days_ago=10),
        make_event("Dune", category=Category.BOOKS),
    ]
    features = extract_features(
        events,
        opted_in=set(Category),
        categories_read=[Category.PURCHASES, Category.BOOKS, Category.MUSIC],
        embedder=embedder,
        now=NOW,
    )
    assert features.schema_version == FEATURE_SCHEMA_VERSION
    assert features.categories == (Category.MUSIC, Category.PURCHASES, Category.BOOKS)
    assert features.history is None
    # Each distinct title is embedded once, in one call.
    assert embedder.calls == [["Song", "Dune"]]

    vector = features.profile_vector()
    assert vector.shape == (3 * PROFILE_DIM,) and vector.dtype == np.float32
    music, purchases, books = np.split(vector, 3)
    assert music[1] == pytest.approx(1.0) and music[EMBEDDING_DIM] == pytest.approx(math.log1p(1))
    # No purchases at all: a zero profile with zero counts.
    assert not purchases.any()
    assert books[0] == pytest.approx(1.0)
    np.testing.assert_allclose(books[EMBEDDING_DIM:], [math.log1p(2), math.log1p(1)])


def test_extract_features_with_no_events_is_all_zero(fake_embedder):
    features = extract_features(
        [],
        opted_in={Category.WEB},
        categories_read=[Category.WEB],
        catalog=CatalogIndex(CATALOG, source="shop"),
        embedder=fake_embedder,
        now=NOW,
    )
    vector = features.profile_vector()
    assert vector.shape == (PROFILE_DIM,) and not vector.any()
    assert features.history is not None and features.history.indices.size == 0
    assert fake_embedder.calls == []


def test_extract_features_rejects_bad_now_and_bad_embedder_output(make_event):
    class BrokenEmbedder:
        model_id = "broken"

        def embed(self, texts):
            return np.full((len(texts), EMBEDDING_DIM), np.nan, dtype=np.float32)

    with pytest.raises(ValueError, match="timezone-aware"):
        extract_features(
            [], {"books"}, ["books"], embedder=FakeEmbedder(), now=datetime(2024, 1, 1)
        )
    with pytest.raises(ValueError, match="unusable array"):
        extract_features([make_event()], {"books"}, ["books"], embedder=BrokenEmbedder(), now=NOW)


def test_schema_description_is_consistent():
    schema = describe_schema()
    assert schema["version"] == FEATURE_SCHEMA_VERSION
    assert schema["profile_dim"] == PROFILE_DIM == EMBEDDING_DIM + 2
    assert schema["category_order"] == ["web", "music", "purchases", "books", "places"]


# ----------------------------------------------------------------------------- real components


@pytest.mark.slow
def test_real_customer_features_with_the_real_model(real_embedder):
    from recommenders.datasets import history_events, load_online_retail, temporal_last_basket_split

    retail = load_online_retail()
    split = temporal_last_basket_split(retail.purchases)
    customer = int(split.test_users()[0])
    events = history_events(split.train, retail.catalog, customer)
    last = max(e.time for e in events)

    features = extract_features(
        events,
        opted_in={Category.PURCHASES},
        categories_read=[Category.PURCHASES],
        catalog=CatalogIndex(retail.catalog, retail.catalog.source),
        embedder=real_embedder,
        now=last + timedelta(days=1),
    )
    profile = features.profiles[Category.PURCHASES]
    assert np.linalg.norm(profile[:EMBEDDING_DIM]) == pytest.approx(1.0, abs=1e-5)
    assert profile[EMBEDDING_DIM] == pytest.approx(math.log1p(len(events)))
    # Matched by stock code: every item in the history is one the customer bought.
    bought = {int(i) for i in split.train.items[split.train.users == customer]}
    assert features.history is not None
    assert set(features.history.indices.tolist()) == bought
