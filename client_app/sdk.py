"""The client SDK: everything the app does, without the UI, behind one object per user and
device. Its parts live beside it: the round (rounds), the ratings outbox (outbox), the ledger
check (ledger_check) and on-device title embedding (title_embedding)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from client_app import outbox, rounds
from client_app.errors import NotReady
from client_app.ledger_check import LedgerCheck, LedgerChecker, WalletView
from client_app.market import (
    LiveModel,
    MarketClient,
    MarketError,
    MarketInfo,
    MarketKeyChanged,
    Wallet,
    check_market_url,
)
from client_app.model_cache import ModelCache
from client_app.outbox import FlushResult
from client_app.progress import Progress, no_progress
from client_app.ranking import ItemKey, Reputation, Vote
from client_app.rounds import RecommendationRound, SkippedModel
from client_app.store import (
    AddResult,
    CategoryState,
    DataUse,
    EventPage,
    HistoryRound,
    LocalStore,
    PendingRating,
    Receipt,
    ShownModel,
)
from client_app.title_embedding import TitleEmbedding
from crypto import IdentityKey, SecretKeys
from recommenders.activity import ActivityEvent, Category
from recommenders.embeddings import Embedder, EmbeddingCache, TextEmbedder

if TYPE_CHECKING:
    from client_app.importers import ParsedImport

DEFAULT_MARKET_URL = "http://127.0.0.1:8000"
DATA_DIR_ENV = "PRIVREC_APP_DIR"


def default_data_dir() -> Path:
    """$PRIVREC_APP_DIR, else the platform's per-user data directory."""
    configured = os.environ.get(DATA_DIR_ENV)
    return Path(configured) if configured else Path(platformdirs.user_data_dir("privrec"))


class PrivrecClient:
    """One user on one device. Methods block (run them off the UI thread); a lock makes
    concurrent calls take turns."""

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        market_url: str | None = None,
        embedder: Embedder | None = None,
        top_k: int = 10,
    ) -> None:
        self.data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.store = LocalStore(self.data_dir / "privrec.sqlite3")
        if market_url is not None:
            self.store.set_setting("market_url", check_market_url(market_url))
        self.top_k = top_k
        self._embedder = embedder
        self.model_cache = ModelCache(self.data_dir / "models")
        self._market: MarketClient | None = None
        self._identity: IdentityKey | None = None
        self._secret: SecretKeys | None = None
        self._lock = threading.RLock()
        self._embedder_lock = threading.Lock()
        # Made on first use by whichever thread asks first (a round, a training pass): one.
        self._market_lock = threading.Lock()
        self._embedding = TitleEmbedding(self.store, lambda: self.embedder)

    def close(self) -> None:
        self.stop_embedding()
        if self._market is not None:
            self._market.close()
        self.store.close()

    # --- paths and settings -----------------------------------------------------------------

    @property
    def _keys_dir(self) -> Path:
        return self.data_dir / "keys"

    @property
    def identity_path(self) -> Path:
        return self._keys_dir / "identity.key"

    @property
    def secret_key_path(self) -> Path:
        return self._keys_dir / "ckks-secret.key"

    @property
    def embeddings_dir(self) -> Path:
        return self.data_dir / "embeddings"

    @property
    def market_url(self) -> str:
        url: str = self.store.get_setting("market_url", DEFAULT_MARKET_URL)
        return url

    def set_market_url(self, url: str) -> None:
        """Point the app at another market (ValueError if ``url`` is not an http(s) URL)."""
        url = check_market_url(url)
        with self._lock, self._market_lock:
            self.store.set_setting("market_url", url)
            if self._market is not None:
                self._market.close()
                self._market = None

    @property
    def share_item_feedback(self) -> bool:
        return bool(self.store.get_setting("share_item_feedback", False))

    def set_share_item_feedback(self, share: bool) -> None:
        """Send per-item votes with the summaries (paid more; off by default)."""
        self.store.set_setting("share_item_feedback", bool(share))

    # --- identity and keys ------------------------------------------------------------------

    @property
    def has_identity(self) -> bool:
        return self.identity_path.exists() and self.secret_key_path.exists()

    def create_identity(self) -> str:
        """Create the Ed25519 identity and the CKKS secret key (owner-only files) if missing;
        returns the account id (the public key). Offline: nothing is sent."""
        with self._lock:
            self._keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self.identity_path.exists():
                IdentityKey.generate().save(self.identity_path)
            if not self.secret_key_path.exists():
                SecretKeys.generate().save_secret_key(self.secret_key_path)
            return self.identity.public_key_hex

    @property
    def identity(self) -> IdentityKey:
        if self._identity is None:
            if not self.identity_path.exists():
                raise NotReady("no identity yet: create one first")
            self._identity = IdentityKey.load(self.identity_path)
        return self._identity

    @property
    def account_id(self) -> str | None:
        return self.identity.public_key_hex if self.has_identity else None

    @property
    def secret_keys(self) -> SecretKeys:
        if self._secret is None:
            if not self.secret_key_path.exists():
                raise NotReady("no encryption key yet: create an identity first")
            self._secret = SecretKeys.load_secret_key(self.secret_key_path)
        return self._secret

    def rotate_keys(self) -> None:
        """Replace the CKKS key pair; new evaluation keys are uploaded on the next round.
        (The identity stays: it is the account, and its balance.)"""
        with self._lock:
            fresh = SecretKeys.generate(self.secret_keys.profile.name)
            temporary = self.secret_key_path.with_suffix(".new")
            fresh.save_secret_key(temporary)
            os.replace(temporary, self.secret_key_path)
            self._secret = fresh
            # The old sets are useless now: each market deletes them on the next connect.
            retired: dict[str, list[str]] = self.store.get_setting("retired_evaluation_keys", {})
            for url, key_id in self.store.get_setting("evaluation_keys", {}).items():
                retired[url] = [*retired.get(url, []), key_id]
            self.store.set_setting("retired_evaluation_keys", retired)
            self.store.set_setting("evaluation_keys", {})

    @property
    def market(self) -> MarketClient:
        """The market client (shared by every thread: its HTTP client can be)."""
        with self._market_lock:
            if self._market is None:
                pinned: dict[str, str] = self.store.get_setting("market_keys", {})
                self._market = MarketClient(
                    self.market_url, self.identity, pinned_key=pinned.get(self.market_url)
                )
            return self._market

    def market_info(self, *, refresh: bool = False) -> MarketInfo:
        """The market's identity (its key, mode, whether it has a faucet, its epoch clock: asked
        again with ``refresh``). Its key is pinned on first use, here only: requests are signed
        for it and the ledger is checked with it, and a market whose key changed is refused
        (MarketKeyChanged)."""
        with self._lock:
            pinned: dict[str, str] = self.store.get_setting("market_keys", {})
            self.market.pinned_key = pinned.get(self.market_url)
            info = self.market.info(refresh=refresh)
            if self.market.pinned_key is None:
                self.store.set_setting("market_keys", {**pinned, self.market_url: info.public_key})
                self.market.pinned_key = info.public_key
            return info

    def connect(self) -> str:
        """Check the market's identity, register with it (idempotent) and upload evaluation
        keys once per key pair and market (deleting those of rotated keys); returns the
        evaluation key id queries refer to."""
        with self._lock:
            self.market_info()
            uploaded: dict[str, str] = self.store.get_setting("evaluation_keys", {})
            key_id = uploaded.get(self.market_url)
            registered: list[str] = self.store.get_setting("registered_with", [])
            if self.market_url not in registered:
                self.market.register()
                self.store.set_setting("registered_with", [*registered, self.market_url])
            self._delete_retired_evaluation_keys()
            if key_id is not None and self.market.has_evaluation_keys(key_id):
                return key_id
            key_id = self._upload_evaluation_keys()
            self.store.set_setting("evaluation_keys", {**uploaded, self.market_url: key_id})
            return key_id

    def _delete_retired_evaluation_keys(self) -> None:
        retired: dict[str, list[str]] = self.store.get_setting("retired_evaluation_keys", {})
        for key_id in retired.pop(self.market_url, []):
            self.market.delete_evaluation_keys(key_id)
        self.store.set_setting("retired_evaluation_keys", retired)

    def _upload_evaluation_keys(self) -> str:
        data = self.secret_keys.evaluation_keys()
        try:
            return self.market.upload_evaluation_keys(data)
        except MarketError as error:
            if error.status != 409:
                raise
        # The market's quota of key sets is full of sets this device no longer uses (ours is
        # not among them, or connect would have found it): free them and upload again.
        for stale in self.market.evaluation_key_ids():
            self.market.delete_evaluation_keys(stale)
        return self.market.upload_evaluation_keys(data)

    # --- local data -------------------------------------------------------------------------

    def categories(self) -> list[CategoryState]:
        return self.store.categories()

    def set_opt_in(self, category: Category | str, opted_in: bool) -> None:
        """Switch a category on or off; switching it on starts embedding its titles in the
        background, so the next round finds them ready."""
        self.store.set_opt_in(category, opted_in)
        if opted_in:
            self.embed_in_background()

    def add_activity(self, event: ActivityEvent) -> AddResult:
        return self.store.add_events([event], origin="manual")

    def remove_activity(self, event_id: int) -> None:
        self.store.remove_event(event_id)

    def activity_page(
        self, category: Category | str, *, search: str = "", offset: int = 0, limit: int = 50
    ) -> EventPage:
        """A page of a category's activity, newest first, optionally only titles containing
        ``search`` (see LocalStore.event_page)."""
        return self.store.event_page([category], search=search, offset=offset, limit=limit)

    def import_file(
        self,
        importer_key: str | None,
        path: Path,
        progress: Progress | None = None,
        *,
        valid_rows_only: bool = False,
    ) -> tuple[ParsedImport, AddResult]:
        """Parse an export file and store its events, all or nothing (ImportFailed says why);
        with `valid_rows_only`, its bad rows are left out instead. Without an importer key the
        kind is detected from the file's content."""
        from client_app.importers import detect, get_importer

        report = progress or no_progress
        if importer_key is None:
            detection = detect(path)
            if detection.importer is None:
                raise detection.refusal()
            importer = detection.importer
        else:
            importer = get_importer(importer_key)
        report(f"reading {path.name}", 0.0)
        parsed = importer.parse(
            path,
            lambda f: report(f"reading {path.name}", 0.7 * f),
            valid_rows_only=valid_rows_only,
        )
        report(f"saving {len(parsed.events):,} activities", 0.7)
        added = self.store.add_events(parsed.events, origin=importer.key)
        # Embedded now, while the user watches an import, rather than in their first round.
        categories = {event.category for event in parsed.events}
        self.embed_activity(categories, lambda message, f: report(message, 0.75 + 0.25 * f))
        report(f"imported {added.added:,} activities from {path.name}", 1.0)
        return parsed, added

    def forget_category(self, category: Category | str) -> int:
        """Delete a category's activity and its cached features (title embeddings), and opt
        it out. Returns how many distinct titles were forgotten."""
        # A background run could cache a title again after it is forgotten: stop it first.
        self.stop_embedding()
        with self._lock:
            titles = self.store.forget_category(category)
            if titles and (self.embeddings_dir / "embeddings.sqlite3").exists():
                EmbeddingCache(self.embeddings_dir).forget(titles)
            return len(titles)

    @property
    def embedder(self) -> Embedder:
        with self._embedder_lock:  # the background embedding may ask for it at the same time
            if self._embedder is None:
                self._embedder = TextEmbedder(self.embeddings_dir)
            return self._embedder

    def embed_activity(
        self,
        categories: Iterable[Category | str] | None = None,
        progress: Progress | None = None,
        *,
        stop: threading.Event | None = None,
    ) -> int:
        """Embed the not yet cached titles of opted-in activity (see TitleEmbedding.embed)."""
        return self._embedding.embed(categories, progress, stop=stop)

    def embed_in_background(self) -> None:
        """Start embedding every opted-in title not cached yet in a background thread, after
        any run already going; a round waits for it (:meth:`wait_for_embedding`)."""
        self._embedding.start()

    @property
    def embedding(self) -> bool:
        """Whether titles are being embedded in the background."""
        return self._embedding.running

    @property
    def embedding_error(self) -> Exception | None:
        """The last background embedding's failure, for the app to show."""
        return self._embedding.error

    def wait_for_embedding(self) -> None:
        """Wait until background embedding has finished."""
        self._embedding.wait()

    def stop_embedding(self) -> None:
        """Stop background embedding after its current batch and wait for it."""
        self._embedding.stop()

    # --- recommendations --------------------------------------------------------------------

    def eligible_models(self) -> tuple[list[LiveModel], list[SkippedModel]]:
        """Live models whose required categories are all opted in (and, for a model of optional
        categories only, one of them); the others with the reason."""
        return rounds.eligible_models(self.store.opted_in(), self.market.live_models())

    def fetch_models(self, progress: Progress | None = None) -> list[SkippedModel]:
        """Download the models a round would ask (those of opted-in categories) ahead of it,
        so the round finds their catalogs on disk; returns those left out, with why."""
        report = progress or no_progress
        with self._lock:
            eligible, skipped = self.eligible_models()
            rounds.load_models(self.market, self.model_cache, eligible, skipped, report, 0.0, 1.0)
            report("models ready", 1.0)
            return skipped

    def coverage(self) -> dict[str, int]:
        """For each category, how many live models on the market read it (0: no model
        recommends from it yet)."""
        with self._lock:
            return rounds.coverage(self.market.live_models())

    def refresh(self, progress: Progress | None = None) -> RecommendationRound:
        """One round: send pending ratings, then query every eligible model at once."""
        with self._lock:
            return rounds.run_round(self, progress or no_progress)

    # --- ratings ----------------------------------------------------------------------------

    def rate(self, impression_id: str, item_id: str, vote: Vote | None) -> None:
        """Like / dislike (or clear) an item of a model's list locally. The vote holds for the
        item in every list of its round, the blended one too; it is sent with the round."""
        round_id, key = self.store.shown_item(impression_id, item_id)
        self.store.set_vote(round_id, key, vote)

    def rate_in_round(self, round_id: str, key: ItemKey, vote: Vote | None) -> None:
        """Like / dislike (or clear) an item of a round by its (source, item id): how the
        blended list is rated."""
        self.store.set_vote(round_id, key, vote)

    def votes(self, impression_id: str) -> dict[str, Vote]:
        """The votes on a model's list, by item id."""
        return self.store.votes(impression_id)

    def round_votes(self, round_id: str) -> dict[ItemKey, Vote]:
        return self.store.round_votes(round_id)

    def contributions(self, round_id: str) -> dict[str, int]:
        """Each list's contribution to the round's blended list so far, by impression id."""
        return self.store.round_contributions(round_id)

    def send_ratings(self) -> FlushResult:
        """Queue a summary for every rated list not sent yet, then deliver what is due."""
        with self._lock:
            self.store.queue_unsent_summaries(share_items=self.share_item_feedback)
            return self.flush_outbox()

    def flush_outbox(self, *, force: bool = False) -> FlushResult:
        """Deliver queued summaries whose retry time has come (all, with ``force``). Stops at
        the first network failure and backs off; acknowledged ones leave the queue."""
        with self._lock:
            return outbox.flush_outbox(self.store, self.market, force=force)

    def change_vote(self, round_id: str, key: ItemKey, vote: Vote | None) -> FlushResult:
        """Change (or clear) a vote in a round: before its ratings are sent it is a vote like
        any other; after, each list it changes tells the market at once, which takes the
        change while the epoch the rating counts in is open (rules 3)."""
        with self._lock:
            if self.store.round(round_id).submitted_at is None:
                self.store.set_vote(round_id, key, vote)
                return FlushResult(0, 0, len(self.store.pending_ratings()), None)
            self.store.change_vote(round_id, key, vote, share_items=self.share_item_feedback)
            return self.flush_outbox(force=True)

    def history(self, limit: int = 50) -> list[HistoryRound]:
        """Past rounds, newest first, with their lists and the votes cast (this device's)."""
        return self.store.history(limit)

    def open_epoch(self) -> int:
        """The market's open epoch: votes counted in it can still change."""
        with self._lock:
            epoch = self.market_info(refresh=True).epoch
            if epoch is not None:
                return epoch
            self.connect()  # a market older than its public epoch clock: ask the wallet
            return self.market.wallet().epoch

    def pending_ratings(self) -> list[PendingRating]:
        return self.store.pending_ratings()

    def reputations(self) -> dict[str, Reputation]:
        return self.store.reputations()

    # --- wallet, ledger and the data-use log -------------------------------------------------

    def wallet(self) -> WalletView:
        """The wallet, and the market's ledger replayed and checked on this device."""
        with self._lock:
            self.connect()
            wallet = self.market.wallet()
            return WalletView(wallet=wallet, ledger=self.verify_ledger(wallet))

    def fund_budget(self, amount: int) -> Wallet:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
            raise ValueError(f"a budget is a whole number of credits >= 1, not {amount!r}")
        with self._lock:
            self.connect()
            return self.market.fund_budget(amount)

    def faucet(self) -> Wallet:
        with self._lock:
            self.connect()
            return self.market.faucet()

    def verify_ledger(self, wallet: Wallet | None = None) -> LedgerCheck:
        """Verify the market's ledger with its key (pinned on first use) up to its signed head,
        from where the last check on this device stopped (see LedgerChecker.check)."""
        try:
            market_key = self.market_info().public_key
        except MarketKeyChanged as error:
            return LedgerCheck(False, 0, str(error), None)
        checker = LedgerChecker(
            self.store, self.market, self.market_url, self.identity.public_key_hex
        )
        return checker.check(market_key, wallet)

    def receipts(self) -> list[Receipt]:
        """The user's receipts from the current market's ledger as last verified, oldest first
        (empty before a check, or while the market's key is not pinned)."""
        pinned: dict[str, str] = self.store.get_setting("market_keys", {})
        key = pinned.get(self.market_url)
        return [] if key is None else self.store.receipts(self.market_url, key)

    def shown_models(self, epoch: int) -> list[ShownModel]:
        """What became of each model's lists this device was shown in ``epoch`` on the current
        market (see LocalStore.shown_models)."""
        return self.store.shown_models(self.market_url, epoch)

    def data_use(self, limit: int = 500) -> list[DataUse]:
        return self.store.data_use(limit)
