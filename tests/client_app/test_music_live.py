"""A user with only music activity (the ListenBrainz listener's plays) gets a list from the
shipped music-two-tower model through the real encrypted protocol against a real market
process: new artists in the plaintext order, the artists they play only as "again"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from recommenders.activity import ActivityEvent
from recommenders.lastfm import listenbrainz_events
from tests.live_server import one_category_round, plaintext_ranking, reference_market, worker_port
from tests.recommenders.conftest import FakeEmbedder

MARKET_KEY = "9b" * 32
PORT = worker_port(18615)  # this suite's loopback port for the music market
MODEL = "music-two-tower"


@pytest.fixture(scope="module")
def music_market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with reference_market(
        tmp_path_factory.mktemp("music-market"),
        port=PORT,
        market_key=MARKET_KEY,
        developer="local-ears",
        models=(MODEL,),
    ) as url:
        yield url


def recent_plays(now: datetime, count: int = 300) -> list[ActivityEvent]:
    """The listener's last ``count`` plays, replayed as if the last one was just now."""
    plays = listenbrainz_events()[-count:]
    shift = now - plays[-1].time
    return [
        ActivityEvent(p.category, p.source, p.title, p.external_id, p.time + shift, p.weight)
        for p in plays
    ]


@pytest.mark.slow
def test_a_music_only_user_gets_new_artists_and_their_own_apart(
    music_market: str, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    plays = recent_plays(now)
    round_ = one_category_round(music_market, tmp_path / "app", plays, "music", FakeEmbedder())
    (music,) = round_.lists
    assert music.model.name == MODEL and music.fits and music.policy == "new-and-again"
    plain = plaintext_ranking(MODEL, plays, "music", FakeEmbedder(), now)
    played = plain.consumed
    assert played, "the listener's artists are in the catalog"
    # Decrypted on the device: new artists only, in the plaintext order; artists already
    # played are offered apart, as "again".
    new = [item.item_id for item in music.items]
    assert len(new) >= 5 and not set(new) & played
    assert list(plain.ranked_new[: len(new)]) == new
    assert music.again_items and {item.item_id for item in music.again_items} <= played
    for item in (*music.items, *music.again_items):
        assert item.category == "music" and item.reason
        assert item.link is not None and item.link.startswith("https://www.last.fm/music/")
