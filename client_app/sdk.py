"""The client SDK: everything the app does, without the UI. Local activity and opt-in, keys,
on-device features and towers, encrypted queries, decryption and ranking, ratings with an
offline outbox, reputation, the blended list, the wallet and the data-use log."""

from __future__ import annotations

import os
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from client_app.lists import History, consumed_rows, pick, recommendations
from client_app.market import (
    LiveModel,
    MarketClient,
    MarketError,
    MarketInfo,
    MarketKeyChanged,
    MarketUnavailable,
    Wallet,
    check_market_url,
)
from client_app.model_cache import LoadedModel, ModelCache
from client_app.ranking import BlendedItem, ItemKey, Recommendation, Reputation, Vote, blend
from client_app.store import (
    AddResult,
    CategoryState,
    DataUse,
    EventPage,
    HistoryRound,
    LocalStore,
    PendingRating,
    Receipt,
    ShownItem,
    ShownList,
    ShownModel,
    VerifiedLedger,
)
from crypto import (
    IdentityKey,
    PreparedQuery,
    SecretKeys,
    decrypt_scores,
    encrypt_query,
)
from crypto.errors import CryptoError
from recommenders.activity import ActivityEvent, Category, parse_category
from recommenders.bundle import CatalogInfo, InvalidBundle
from recommenders.embeddings import Embedder, EmbeddingCache, TextEmbedder
from recommenders.features import (
    CategoryNotOptedInError,
    category_profiles,
    check_categories,
    extract_features,
    tower_inputs,
)

if TYPE_CHECKING:
    from client_app.importers import ParsedImport
    from ledger.book import UserSettlement
    from ledger.verify import Verifier

DEFAULT_MARKET_URL = "http://127.0.0.1:8000"
DATA_DIR_ENV = "PRIVREC_APP_DIR"
Progress = Callable[[str, float], None]
# Rating retries back off exponentially up to an hour (with jitter, so clients spread out).
RETRY_BASE = timedelta(seconds=5)
RETRY_MAX = timedelta(hours=1)
# The market's own limit on models per request; larger rounds are split.
MODELS_PER_REQUEST = 16
# Titles embedded per step of on-device embedding: the steps of its progress, and where a
# background run can stop.
EMBED_BATCH = 64


def default_data_dir() -> Path:
    """$PRIVREC_APP_DIR, else the platform's per-user data directory."""
    configured = os.environ.get(DATA_DIR_ENV)
    return Path(configured) if configured else Path(platformdirs.user_data_dir("privrec"))


def retry_delay(attempts: int) -> timedelta:
    """Back-off before attempt ``attempts + 1``: 5 s, 10 s, 20 s, ... capped at an hour."""
    base: timedelta = min(RETRY_BASE * (2 ** min(attempts, 20)), RETRY_MAX)
    return base * random.uniform(0.8, 1.2)


def _no_progress(_message: str, _fraction: float) -> None:
    return None


def _reporter(progress: Progress, fraction: float) -> Callable[[str], None]:
    """Messages of a step that happen at one point of the progress bar."""
    return lambda message: progress(message, fraction)


class NotReady(RuntimeError):
    """The app cannot do this yet (no identity, nothing opted in, no live model, ...)."""


@dataclass(frozen=True)
class ModelList:
    """One model's answer in a round, decrypted on this device.

    ``items`` are new to the user (nothing they already consumed); ``again_items`` are
    consumed items the model ranks high, shown apart (only a "new-and-again" ``policy``
    offers them). ``fits`` is False when the catalog's best score is below the model's
    relevance floor: then nothing is shown and the app says nothing in this catalog fits the
    user's activity. ``catalog`` says what the items are, where, when from, and its licence."""

    model: LiveModel
    impression_id: str
    epoch: int
    reputation: Reputation
    items: tuple[Recommendation, ...]
    query_bytes: int
    response_bytes: int
    catalog: CatalogInfo
    # What this query was computed from: the model's categories less the optional ones the
    # user has not opted into (those were never read).
    categories: tuple[str, ...]
    policy: str = "new-only"
    fits: bool = True
    again_items: tuple[Recommendation, ...] = ()


@dataclass(frozen=True)
class SkippedModel:
    model: LiveModel
    reason: str


# The steps a round times, in the order it takes them (RecommendationRound.seconds).
ROUND_STEPS = (
    "connect",
    "download",
    "embedding",
    "matching",
    "towers",
    "encrypt",
    "network",
    "scoring",
    "decrypt",
    "reasons",
)


@dataclass(frozen=True)
class RecommendationRound:
    """A refresh: every list, and the blended one. A vote on an item holds in all of them."""

    round_id: str
    epoch: int
    lists: tuple[ModelList, ...]
    blended: tuple[BlendedItem[Recommendation], ...]
    skipped: tuple[SkippedModel, ...]
    # Where the round's time went, by ROUND_STEPS (scoring: the market's, when it says).
    seconds: dict[str, float] = field(default_factory=dict)
    # Opted-in categories no live model reads: the app says nothing recommends from them yet.
    uncovered: tuple[str, ...] = ()


@dataclass(frozen=True)
class FlushResult:
    delivered: int
    refused: int
    pending: int
    error: str | None  # why delivery stopped (market unreachable), if it did
    unavailable: MarketUnavailable | None = None  # the failure itself, for the app's words


@dataclass(frozen=True)
class LedgerCheck:
    ok: bool
    entries: int
    detail: str  # what was checked, or what failed
    balance_matches: bool | None  # the wallet's balance equals the replayed one
    new_entries: int = 0  # verified by this check (the others were verified before)
    # The wallet owner's last settlement as replayed here, and whether the market's own
    # account of it agrees (None: the market gave none).
    settlement: UserSettlement | None = None
    settlement_matches: bool | None = None
    empty: bool = False  # the market's ledger has no entry yet


class LedgerFailure(Exception):
    """The market's ledger failed verification; ``detail`` says how, for the wallet view."""

    def __init__(self, entries: int, detail: str) -> None:
        super().__init__(detail)
        self.entries, self.detail = entries, detail


class LedgerEmpty(LedgerFailure):
    """The market has no ledger entry yet: nothing to verify (and nothing to distrust)."""


SAVE_EVERY_PAGES = 10  # save the verified state while a long first check runs
RECEIPTS_KEPT = "ledger_receipts_kept"  # markets whose checks kept receipts from the first entry
KEPT_HEADS = 64  # signed heads remembered per market, to catch one that contradicts them


def _head_conflict(
    seen: list[dict[str, Any]], head: dict[str, Any], verifier: Verifier
) -> str | None:
    """Why ``head`` contradicts what this device saw or verified before, or None."""
    for old in seen:
        if old["seq"] == head["seq"] and old["hash"] != head["hash"]:
            return (
                f"forked: the market signed two different heads for entry {head['seq']} "
                f"({old['hash'][:16]}... on {old['time']}, "
                f"{head['hash'][:16]}... on {head['time']})"
            )
    last = verifier.last
    if last is not None and head["seq"] < last.seq:
        return (
            f"forked: the market's signed head is at entry {head['seq']}, behind entry {last.seq} "
            "that this device already verified: the market rewound its ledger"
        )
    return None


class ReceiptCollector:
    """Picks, from verified export lines, the entries that moved one user's credits: into or
    out of their balance or one of their budgets."""

    def __init__(self, pubkey_hex: str) -> None:
        self.pubkey_hex = pubkey_hex
        self._found: list[Receipt] = []

    def read(self, lines: Iterable[str]) -> None:
        from ledger.economy import budget_owner, user_account
        from ledger.entries import Entry

        own = user_account(self.pubkey_hex)
        for line in lines:
            if self.pubkey_hex not in line:  # most lines are someone else's: skip the parse
                continue
            entry = Entry.from_json_line(line)
            if entry.kind not in ("mint", "transfer", "burn"):
                continue
            body = entry.body
            source = body.get("from") if entry.kind != "mint" else None
            target = body.get("account") if entry.kind == "mint" else body.get("to")
            if not any(
                account == own or (budget_owner(account) or ("",))[0] == self.pubkey_hex
                for account in (source, target)
                if isinstance(account, str)
            ):
                continue
            self._found.append(
                Receipt(
                    seq=entry.seq,
                    epoch=entry.epoch,
                    time=entry.time,
                    kind=entry.kind,
                    source=source if isinstance(source, str) else None,
                    target=target if isinstance(target, str) else None,
                    amount=int(body["amount"]),
                    memo=str(body.get("memo", "")),
                )
            )

    def take(self) -> list[Receipt]:
        """The receipts found since the last take."""
        found, self._found = self._found, []
        return found


@dataclass(frozen=True)
class WalletView:
    wallet: Wallet
    ledger: LedgerCheck


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
        self._models = ModelCache(self.data_dir / "models")
        self._market: MarketClient | None = None
        self._identity: IdentityKey | None = None
        self._secret: SecretKeys | None = None
        self._lock = threading.RLock()
        self._embedder_lock = threading.Lock()
        self._embedding_job: threading.Thread | None = None
        self._stop_embedding = threading.Event()
        self.embedding_error: Exception | None = None  # the last background embedding's failure

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
        with self._lock:
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

        report = progress or _no_progress
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
        """Embed the titles of opted-in activity (of ``categories``, by default every opted-in
        one) that are not cached yet, so a round finds every title cached; returns how many
        were embedded. Titles of a category not opted in are not read. ``stop`` ends it early,
        between batches."""
        report = progress or _no_progress
        allowed = self.store.opted_in()
        if categories is not None:
            allowed &= {parse_category(c) for c in categories}
        titles = list(dict.fromkeys(stored.event.title for stored in self.store.events(allowed)))
        todo = _uncached(self.embedder, titles)
        done = 0
        for start in range(0, len(todo), EMBED_BATCH):
            if stop is not None and stop.is_set():
                break
            report(
                f"reading your activity on this device: {start:,} of {len(todo):,} titles",
                start / len(todo),
            )
            self.embedder.embed(todo[start : start + EMBED_BATCH])
            done = min(start + EMBED_BATCH, len(todo))
        report(f"{done:,} titles read on this device", 1.0)
        return done

    def embed_in_background(self) -> None:
        """Start embedding every opted-in title not cached yet in a background thread, after
        any run already going; a round waits for it (:meth:`wait_for_embedding`)."""
        previous = self._embedding_job
        self._stop_embedding.clear()

        def run() -> None:
            if previous is not None:
                previous.join()
            try:
                self.embed_activity(stop=self._stop_embedding)
            except Exception as error:  # kept for the app to show; a round embeds again
                self.embedding_error = error
            else:
                self.embedding_error = None

        job = threading.Thread(target=run, name="privrec-embedding", daemon=True)
        self._embedding_job = job
        job.start()

    @property
    def embedding(self) -> bool:
        """Whether titles are being embedded in the background."""
        return self._embedding_job is not None and self._embedding_job.is_alive()

    def wait_for_embedding(self) -> None:
        """Wait until background embedding has finished."""
        job = self._embedding_job
        if job is not None:
            job.join()

    def stop_embedding(self) -> None:
        """Stop background embedding after its current batch and wait for it."""
        self._stop_embedding.set()
        self.wait_for_embedding()

    # --- recommendations --------------------------------------------------------------------

    def eligible_models(self) -> tuple[list[LiveModel], list[SkippedModel]]:
        """Live models whose required categories are all opted in (and, for a model of optional
        categories only, one of them); the others with the reason."""
        opted_in = self.store.opted_in()
        eligible: list[LiveModel] = []
        skipped: list[SkippedModel] = []
        for model in self.market.live_models():
            try:
                check_categories(opted_in, model.categories, model.optional_categories)
            except CategoryNotOptedInError as refusal:
                skipped.append(SkippedModel(model, str(refusal)))
            else:
                eligible.append(model)
        return eligible, skipped

    def _load_models(
        self,
        models: Sequence[LiveModel],
        skipped: list[SkippedModel],
        report: Progress,
        start: float,
        end: float,
    ) -> list[tuple[LiveModel, LoadedModel]]:
        """Each model's parts, downloaded unless cached; an invalid one goes to ``skipped``."""
        loaded: list[tuple[LiveModel, LoadedModel]] = []
        for i, model in enumerate(models):
            fraction = start + (end - start) * i / len(models)
            report(f"fetching {model.label}", fraction)
            try:
                bundle = self._models.load(self.market, model.id, _reporter(report, fraction))
                loaded.append((model, bundle))
            except InvalidBundle as error:
                skipped.append(SkippedModel(model, f"its bundle is invalid: {error}"))
        return loaded

    def fetch_models(self, progress: Progress | None = None) -> list[SkippedModel]:
        """Download the models a round would ask (those of opted-in categories) ahead of it,
        so the round finds their catalogs on disk; returns those left out, with why."""
        report = progress or _no_progress
        with self._lock:
            eligible, skipped = self.eligible_models()
            self._load_models(eligible, skipped, report, 0.0, 1.0)
            report("models ready", 1.0)
            return skipped

    def coverage(self) -> dict[str, int]:
        """For each category, how many live models on the market read it (0: no model
        recommends from it yet)."""
        with self._lock:
            return _coverage(self.market.live_models())

    def refresh(self, progress: Progress | None = None) -> RecommendationRound:
        """One round: send pending ratings, then query every eligible model at once."""
        report = progress or _no_progress
        with self._lock:
            timings: dict[str, float] = {}
            report("connecting to the market", 0.02)
            started = time.perf_counter()
            key_id = self.connect()
            self.send_ratings()
            eligible, skipped = self.eligible_models()
            timings["connect"] = time.perf_counter() - started
            if not eligible:
                raise NotReady(_why_no_models(skipped))
            models_of = _coverage([*eligible, *(s.model for s in skipped)])
            chosen = self.store.opted_in()
            uncovered = tuple(c.value for c in Category if c in chosen and not models_of[c.value])
            started = time.perf_counter()
            loaded = self._load_models(eligible, skipped, report, 0.05, 0.25)
            timings["download"] = time.perf_counter() - started

            report("computing your features on this device and encrypting them", 0.3)
            started = time.perf_counter()
            self.wait_for_embedding()  # the titles it is embedding are this round's
            opted_in = self.store.opted_in()
            now = datetime.now(UTC)
            readable = {c for model, _ in loaded for c in model.categories}
            events = [stored.event for stored in self.store.events(readable & opted_in)]
            # Each category's profile once per round (its titles embedded at import are
            # cached); each model then adds only its catalog history and its tower.
            profiles = category_profiles(
                events, readable & opted_in, embedder=self.embedder, now=now
            )
            timings["embedding"] = time.perf_counter() - started
            timings["matching"] = timings["towers"] = timings["encrypt"] = 0.0
            asked: list[tuple[LiveModel, LoadedModel, tuple[str, ...]]] = []
            queries: list[tuple[LiveModel, PreparedQuery]] = []
            for model, bundle in loaded:
                started = time.perf_counter()
                try:
                    features = extract_features(
                        events,
                        opted_in,
                        bundle.manifest.categories,
                        bundle.history_index,
                        embedder=self.embedder,
                        now=now,
                        profiles=profiles,
                        optional=bundle.manifest.optional_categories,
                    )
                    matched = time.perf_counter()
                    timings["matching"] += matched - started
                    vector = bundle.runner(tower_inputs(bundle.manifest.inputs, features))
                except (ValueError, CategoryNotOptedInError) as error:
                    # A bundle whose manifest disagrees with its listing, or a tower that
                    # gives NaN: that model is left out, the others are still asked.
                    skipped.append(SkippedModel(model, f"cannot compute its query: {error}"))
                    continue
                encrypting = time.perf_counter()
                timings["towers"] += encrypting - matched
                queries.append((model, encrypt_query(self.secret_keys, vector)))
                read = {c.value for c in features.categories}
                asked.append((model, bundle, tuple(c for c in model.categories if c in read)))
                timings["encrypt"] += time.perf_counter() - encrypting
            if not queries:
                raise NotReady(_why_no_models(skipped))

            report(f"asking {len(queries)} models (encrypted)", 0.7)
            started = time.perf_counter()
            epoch = 0
            answers = {}
            scoring: float | None = 0.0
            for start in range(0, len(queries), MODELS_PER_REQUEST):
                chunk = queries[start : start + MODELS_PER_REQUEST]
                try:
                    epoch, results = self.market.recommend(
                        key_id, [(model.id, query.wire) for model, query in chunk]
                    )
                except MarketError as error:
                    refusal = _query_refusal(error)
                    if refusal is None:
                        raise
                    raise NotReady(refusal) from None
                answers.update({result.model_id: result for result in results})
                said = results[0].scoring_seconds if results else None
                scoring = None if scoring is None or said is None else scoring + said
            # The market's round trip, split into its scoring (when it says) and the rest:
            # transfer, signing and checks, the ledger's append.
            timings["network"] = time.perf_counter() - started - (scoring or 0.0)
            if scoring is not None:
                timings["scoring"] = scoring

            report("decrypting and ranking", 0.9)
            started = time.perf_counter()
            reputations = self.store.reputations()
            # What the user already consumed is judged from every opted-in category (a book
            # read is never recommended back, whichever category the model read) but only
            # from those: the number of items shown leaves the device with the ratings.
            consumed_from = (
                events
                if opted_in <= readable
                else [stored.event for stored in self.store.events(opted_in)]
            )
            decided = []
            read_for = {model.id: categories for model, _, categories in asked}
            for (model, bundle, _), (_, query) in zip(asked, queries, strict=True):
                result = answers.get(model.id)
                if result is None:
                    skipped.append(SkippedModel(model, "the market returned no scores"))
                    continue
                try:
                    scores = decrypt_scores(self.secret_keys, result.response, query)
                except CryptoError as error:
                    skipped.append(SkippedModel(model, f"unreadable scores: {error}"))
                    continue
                consumed = consumed_rows(bundle, consumed_from)
                picked = pick(
                    scores,
                    consumed,
                    k=self.top_k,
                    policy=bundle.manifest.policy,
                    floor=bundle.manifest.relevance_floor,
                )
                decided.append((model, bundle, query, result, consumed, picked))
            timings["decrypt"] = time.perf_counter() - started

            report("explaining each item by your own activity", 0.95)
            started = time.perf_counter()
            read_by_asked = {c for categories in read_for.values() for c in categories}
            history = History(
                (e for e in consumed_from if e.category.value in read_by_asked), self.embedder
            )
            history.embed_shown(
                bundle.catalog.titles[row]
                for _, bundle, *_, picked in decided
                for row in picked.rows
            )
            lists = []
            for model, bundle, query, result, consumed, picked in decided:
                items, again = recommendations(bundle, picked, consumed, history)
                lists.append(
                    ModelList(
                        model=model,
                        impression_id=result.impression_id,
                        epoch=epoch,
                        reputation=reputations.get(model.key, Reputation(0, 0)),
                        items=items,
                        query_bytes=len(query.wire),
                        response_bytes=len(result.response),
                        catalog=bundle.manifest.catalog,
                        categories=read_for[model.id],
                        policy=bundle.manifest.policy,
                        fits=picked.fits,
                        again_items=again,
                    )
                )
            timings["reasons"] = time.perf_counter() - started
            started = time.perf_counter()
            blended = blend(
                [(entry.model.label, entry.reputation.score, entry.items) for entry in lists],
                self.top_k,
            )
            round_id = uuid.uuid4().hex
            self._record(round_id, epoch, lists)
            timings["decrypt"] += time.perf_counter() - started
            report("done", 1.0)
            return RecommendationRound(
                round_id=round_id,
                epoch=epoch,
                lists=tuple(lists),
                blended=tuple(blended),
                skipped=tuple(skipped),
                seconds=timings,
                uncovered=uncovered,
            )

    def _record(self, round_id: str, epoch: int, lists: Sequence[ModelList]) -> None:
        """The round as blended (list order, reputations, items), so that each list's
        contribution can be computed again when its votes are sent; and what was sent."""
        now = datetime.now(UTC)
        self.store.add_round(
            round_id=round_id,
            market_url=self.market_url,
            epoch=epoch,
            blended_length=self.top_k,
            lists=[
                ShownList(
                    impression_id=entry.impression_id,
                    model_id=entry.model.id,
                    model_key=entry.model.key,
                    model_label=entry.model.label,
                    reputation=entry.reputation.score,
                    items=tuple(
                        ShownItem(item.source, item.item_id, item.title_key, item.again, item.title)
                        for item in (*entry.items, *entry.again_items)
                    ),
                    model_description=entry.model.description,
                    use=DataUse(
                        at=now,
                        market_url=self.market_url,
                        model_label=entry.model.label,
                        categories=entry.categories,
                        query_bytes=entry.query_bytes,
                        response_bytes=entry.response_bytes,
                        impression_id=entry.impression_id,
                        paid_to_you=None,
                    ),
                )
                for entry in lists
            ],
        )

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
        delivered = refused = 0
        error: str | None = None
        unavailable: MarketUnavailable | None = None
        with self._lock:
            for pending in self.store.pending_ratings(due_only=not force):
                try:
                    if pending.change:
                        if self._deliver_change(pending):
                            delivered += 1
                        else:
                            refused += 1
                        continue
                    receipt = self.market.rate(pending.payload)
                except MarketKeyChanged:
                    raise  # not this rating's fault: keep the queue as it is
                except MarketUnavailable as failure:  # a rating or a vote change: retried later
                    error, unavailable = str(failure), failure
                    self.store.rating_postponed(
                        pending.impression_id, error, retry_delay(pending.attempts)
                    )
                    break
                except MarketError as failure:
                    if failure.status == 409:  # delivered before; the answer was lost
                        self.store.rating_delivered(pending.impression_id, None)
                        delivered += 1
                    else:
                        self.store.rating_refused(pending.impression_id, str(failure))
                        refused += 1
                    continue
                self.store.rating_delivered(
                    pending.impression_id, receipt.attention_paid, receipt.epoch
                )
                delivered += 1
            pending_count = len(self.store.pending_ratings())
        return FlushResult(delivered, refused, pending_count, error, unavailable)

    def _deliver_change(self, pending: PendingRating) -> bool:
        """Send one queued vote change: True once the market counts it, False if it refuses it
        (settled, no changes left: it keeps the last vote it counted). A network failure
        (MarketUnavailable) is raised, for the caller to retry it later like a rating."""
        try:
            self.market.change_vote(pending.impression_id, pending.payload)
        except (MarketUnavailable, MarketKeyChanged):
            raise  # retried later / not this change's fault: the caller handles both
        except MarketError as failure:
            self.store.vote_change_refused(pending.impression_id, failure.detail or str(failure))
            return False
        self.store.vote_change_delivered(pending.impression_id)
        return True

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
        from where the last check on this device stopped: each entry is verified once. A head
        that contradicts one seen before, or an export that no longer extends what was
        verified, is reported as a fork; the last good state is kept."""
        from ledger.economy import LedgerError, user_account

        try:
            market_key = self.market_info().public_key
        except MarketKeyChanged as error:
            return LedgerCheck(False, 0, str(error), None)
        saved = self.store.verified_ledger(self.market_url)
        if saved is not None and saved.market_key != market_key:
            saved = None
        if saved is not None and self.market_url not in self.store.get_setting(RECEIPTS_KEPT, []):
            # Checked by an app that kept no receipts: check once more from the first entry
            # (the heads seen stay), keeping them this time.
            saved = VerifiedLedger(market_key, "", saved.heads)
        try:
            verifier, checked = self._verify_to_head(market_key, saved)
        except LedgerEmpty as empty:  # a new market: only an empty wallet can be right
            matches = None if wallet is None else wallet.balance == 0
            return LedgerCheck(matches is not False, 0, empty.detail, matches, empty=True)
        except LedgerFailure as failure:
            return LedgerCheck(False, failure.entries, failure.detail, None)
        except LedgerError as error:  # the saved state itself is unusable: start over
            self.store.save_verified_ledger(
                self.market_url, VerifiedLedger(market_key, "", saved.heads if saved else ())
            )
            return LedgerCheck(False, 0, f"the saved ledger check is unusable: {error}", None)
        matches = settled = settled_matches = None
        if wallet is not None:
            matches = verifier.book.balance(user_account(wallet.account)) == wallet.balance
            settled = verifier.book.last_settlement(wallet.account)
            if wallet.last_settlement is not None:
                settled_matches = wallet.last_settlement == settled
        detail = (
            f"{verifier.count} entries ({checked} new): hash chain, signatures, balances, "
            "settlements and the market's signed head"
        )
        ok = matches is not False and settled_matches is not False
        return LedgerCheck(ok, verifier.count, detail, matches, checked, settled, settled_matches)

    def _verify_to_head(
        self, market_key: str, saved: VerifiedLedger | None
    ) -> tuple[Verifier, int]:
        """Page through the export from the saved state to the signed head; (the verifier, how
        many entries were new). Raises LedgerFailure."""
        from ledger.economy import LedgerError
        from ledger.entries import Entry
        from ledger.replay import StaleCheckpoint
        from ledger.verify import Verifier

        head = self.market.ledger_head()
        heads = list(saved.heads) if saved is not None else []
        if head is None:
            raise LedgerEmpty(0, "the market's ledger has no entries yet")
        try:
            head.check(market_key)
        except LedgerError as error:
            raise LedgerFailure(0, f"ledger invalid: {error}") from None
        checkpoint = saved.checkpoint if saved is not None and saved.checkpoint else None
        try:
            verifier = Verifier(market_key, checkpoint=checkpoint)
        except StaleCheckpoint:  # saved by an older version of the app: verify from the start
            verifier = Verifier(market_key)
        problem = _head_conflict(heads, head.to_dict(), verifier)
        if problem is not None:
            raise LedgerFailure(verifier.count, problem)
        verifier.watch(head.seq)
        start, pages = verifier.count, 0
        receipts = ReceiptCollector(self.identity.public_key_hex)
        try:
            while verifier.count <= head.seq:
                last = verifier.last
                lines = self.market.ledger_page(after=None if last is None else last.seq)
                if not lines:
                    break  # finish() reports the truncation
                first = Entry.from_json_line(lines[0])
                if last is not None and first.prev_hash != last.hash:
                    raise LedgerError(
                        f"forked: entry {first.seq} does not extend entry {last.seq} as this "
                        "device verified it"
                    )
                verifier.feed(lines)
                receipts.read(lines)  # verified: feed raised otherwise
                pages += 1
                if pages % SAVE_EVERY_PAGES == 0:  # an interrupted first check resumes
                    self._save_ledger(market_key, verifier, heads, receipts)
            verifier.finish(head)
        except LedgerError as error:
            where = f" at entry {verifier.count}"
            raise LedgerFailure(verifier.count, f"ledger invalid{where}: {error}") from None
        self._save_ledger(market_key, verifier, [*heads, head.to_dict()], receipts)
        return verifier, verifier.count - start

    def _save_ledger(
        self,
        market_key: str,
        verifier: Verifier,
        heads: list[dict[str, Any]],
        receipts: ReceiptCollector,
    ) -> None:
        kept = {int(h["seq"]): h for h in heads}  # one per seq (a conflict was refused)
        latest = [kept[seq] for seq in sorted(kept)][-KEPT_HEADS:]
        # Receipts first: a checkpoint never gets ahead of the receipts it passed.
        self.store.save_receipts(self.market_url, market_key, receipts.take())
        self.store.save_verified_ledger(
            self.market_url, VerifiedLedger(market_key, verifier.checkpoint(), tuple(latest))
        )
        kept_for: list[str] = self.store.get_setting(RECEIPTS_KEPT, [])
        if self.market_url not in kept_for:
            self.store.set_setting(RECEIPTS_KEPT, [*kept_for, self.market_url])

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


def _uncached(embedder: Embedder, titles: list[str]) -> list[str]:
    """The titles ``embedder`` has no cached vector for (all, if it keeps no cache)."""
    if isinstance(embedder, TextEmbedder) and embedder.cache is not None:
        known = embedder.cache.lookup(embedder.model_id, titles)
        return [title for title in titles if title not in known]
    return titles


def _query_refusal(error: MarketError) -> str | None:
    """A refused round in words for the app: not enough committed credits (402), or a model
    asked as often as one epoch allows (429); None for any other failure."""
    said = f" The market said: {error.detail}" if error.detail else ""
    if error.status == 402:
        return (
            "The market recommends only to accounts that commit credits: fund this payment "
            f"period's budget in your wallet, then refresh.{said}"
        )
    if error.status == 429:
        return (
            "You have asked these models as often as one payment period allows: try again in the "
            f"next one.{said}"
        )
    return None


def _why_no_models(skipped: Iterable[SkippedModel]) -> str:
    reasons = [f"{s.model.label}: {s.reason}" for s in skipped]
    if not reasons:
        return "no model is live on this market yet"
    return "no model can be asked with what you opted into. " + "; ".join(reasons)


def _coverage(models: Iterable[LiveModel]) -> dict[str, int]:
    """How many of ``models`` read each category."""
    counts = dict.fromkeys((c.value for c in Category), 0)
    for model in models:
        for category in set(model.categories) & counts.keys():
            counts[category] += 1
    return counts
