"""On-device embedding of the titles of opted-in activity, now or in a background thread, so a
round finds every title it reads already cached."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from client_app.progress import Progress, no_progress
from client_app.store import LocalStore
from recommenders.activity import Category, parse_category
from recommenders.embeddings import Embedder, TextEmbedder

# Titles embedded per step of on-device embedding: the steps of its progress, and where a
# background run can stop.
EMBED_BATCH = 64


class TitleEmbedding:
    """Embeds the opted-in titles of ``store`` with the embedder ``embedder()`` gives (asked for
    when needed: loading it is slow)."""

    def __init__(self, store: LocalStore, embedder: Callable[[], Embedder]) -> None:
        self.store = store
        self.embedder = embedder
        self._job: threading.Thread | None = None
        self._stop = threading.Event()
        self.error: Exception | None = None  # the last background run's failure

    def embed(
        self,
        categories: Iterable[Category | str] | None = None,
        progress: Progress | None = None,
        *,
        stop: threading.Event | None = None,
    ) -> int:
        """Embed the titles of opted-in activity (of ``categories``, by default every opted-in
        one) that are not cached yet, so a round finds every title cached; returns how many
        were embedded. Titles of a category not opted in are not read. ``stop`` ends it early,
        between batches."""
        report = progress or no_progress
        allowed = self.store.opted_in()
        if categories is not None:
            allowed &= {parse_category(c) for c in categories}
        titles = list(dict.fromkeys(stored.event.title for stored in self.store.events(allowed)))
        todo = _uncached(self.embedder(), titles)
        done = 0
        for start in range(0, len(todo), EMBED_BATCH):
            if stop is not None and stop.is_set():
                break
            report(
                f"reading your activity on this device: {start:,} of {len(todo):,} titles",
                start / len(todo),
            )
            self.embedder().embed(todo[start : start + EMBED_BATCH])
            done = min(start + EMBED_BATCH, len(todo))
        report(f"{done:,} titles read on this device", 1.0)
        return done

    def start(self) -> None:
        """Start embedding every opted-in title not cached yet in a background thread, after
        any run already going; a round waits for it (:meth:`wait`)."""
        previous = self._job
        self._stop.clear()

        def run() -> None:
            if previous is not None:
                previous.join()
            try:
                self.embed(stop=self._stop)
            except Exception as error:  # kept for the app to show; a round embeds again
                self.error = error
            else:
                self.error = None

        job = threading.Thread(target=run, name="privrec-embedding", daemon=True)
        self._job = job
        job.start()

    @property
    def running(self) -> bool:
        """Whether titles are being embedded in the background."""
        return self._job is not None and self._job.is_alive()

    def wait(self) -> None:
        """Wait until background embedding has finished."""
        job = self._job
        if job is not None:
            job.join()

    def stop(self) -> None:
        """Stop background embedding after its current batch and wait for it."""
        self._stop.set()
        self.wait()


def _uncached(embedder: Embedder, titles: list[str]) -> list[str]:
    """The titles ``embedder`` has no cached vector for (all, if it keeps no cache)."""
    if isinstance(embedder, TextEmbedder) and embedder.cache is not None:
        known = embedder.cache.lookup(embedder.model_id, titles)
        return [title for title in titles if title not in known]
    return titles
