"""The ratings outbox: queued rating summaries and vote changes delivered to the market, retried
with back-off while it cannot be reached."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from client_app.market import MarketClient, MarketError, MarketKeyChanged, MarketUnavailable
from client_app.store import LocalStore, PendingRating

# Rating retries back off exponentially up to an hour (with jitter, so clients spread out).
RETRY_BASE = timedelta(seconds=5)
RETRY_MAX = timedelta(hours=1)


def retry_delay(attempts: int) -> timedelta:
    """Back-off before attempt ``attempts + 1``: 5 s, 10 s, 20 s, ... capped at an hour."""
    base: timedelta = min(RETRY_BASE * (2 ** min(attempts, 20)), RETRY_MAX)
    return base * random.uniform(0.8, 1.2)


@dataclass(frozen=True)
class FlushResult:
    delivered: int
    refused: int
    pending: int
    error: str | None  # why delivery stopped (market unreachable), if it did
    unavailable: MarketUnavailable | None = None  # the failure itself, for the app's words


def flush_outbox(store: LocalStore, market: MarketClient, *, force: bool = False) -> FlushResult:
    """Deliver queued summaries whose retry time has come (all, with ``force``). Stops at the
    first network failure and backs off; acknowledged ones leave the queue."""
    delivered = refused = 0
    error: str | None = None
    unavailable: MarketUnavailable | None = None
    for pending in store.pending_ratings(due_only=not force):
        try:
            if pending.change:
                if _deliver_change(store, market, pending):
                    delivered += 1
                else:
                    refused += 1
                continue
            receipt = market.rate(pending.payload)
        except MarketKeyChanged:
            raise  # not this rating's fault: keep the queue as it is
        except MarketUnavailable as failure:  # a rating or a vote change: retried later
            error, unavailable = str(failure), failure
            store.rating_postponed(pending.impression_id, error, retry_delay(pending.attempts))
            break
        except MarketError as failure:
            if failure.status == 409:  # delivered before; the answer was lost
                store.rating_delivered(pending.impression_id, None)
                delivered += 1
            else:
                store.rating_refused(pending.impression_id, str(failure))
                refused += 1
            continue
        store.rating_delivered(pending.impression_id, receipt.attention_paid, receipt.epoch)
        delivered += 1
    return FlushResult(delivered, refused, len(store.pending_ratings()), error, unavailable)


def _deliver_change(store: LocalStore, market: MarketClient, pending: PendingRating) -> bool:
    """Send one queued vote change: True once the market counts it, False if it refuses it
    (settled, no changes left: it keeps the last vote it counted). A network failure
    (MarketUnavailable) is raised, for the caller to retry it later like a rating."""
    try:
        market.change_vote(pending.impression_id, pending.payload)
    except (MarketUnavailable, MarketKeyChanged):
        raise  # retried later / not this change's fault: the caller handles both
    except MarketError as failure:
        store.vote_change_refused(pending.impression_id, failure.detail or str(failure))
        return False
    store.vote_change_delivered(pending.impression_id)
    return True
