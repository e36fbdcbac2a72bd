"""The operator's Prometheus metrics, one registry per app: request latency per route
template (never per raw path, so an attacker's made-up paths add no series), scoring time per
model, scoring queue depth, table cache bytes and ledger length (read at scrape time).

Behind several uvicorn workers (``PROMETHEUS_MULTIPROC_DIR`` set, as ``privrec market serve``
does), every worker writes to that directory and a scrape, whichever worker answers it, reads
them all (prometheus-client's multiprocess mode)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Gauge, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from market_server.web.templating import STATIC_PATH

UNMATCHED = "(unmatched)"  # every path no route answers, as one series
# Any other method a client makes up is counted as OTHER, so it adds no series.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Where every worker process writes its metrics (read by prometheus-client when it is imported).
MULTIPROCESS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"
SAMPLE_EVERY_S = 1.0  # how often a worker's own gauges are written for the others' scrapes


class MarketMetrics:
    """The registry and the histograms the app observes into."""

    def __init__(self) -> None:
        self.multiprocess = MULTIPROCESS_DIR_ENV in os.environ
        self.registry = CollectorRegistry(auto_describe=True)
        self.request_seconds = Histogram(
            "privrec_http_request_duration_seconds",
            "Time to answer an HTTP request, per route template",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.scoring_seconds = Histogram(
            "privrec_scoring_duration_seconds",
            "Time to score one encrypted query, per model version id",
            ["model"],
            registry=self.registry,
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
        )

        # Each worker's own; a scrape adds up those of the live workers.
        self.queue_depth = Gauge(
            "privrec_scoring_queue_depth",
            "Queries waiting for or being scored",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self.table_cache_bytes = Gauge(
            "privrec_table_cache_bytes",
            "Encoded item-table bytes held by the scoring cache",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self._read_scoring: Callable[[], tuple[int, int]] = lambda: (0, 0)
        self._shared: list[Collector] = []

    def observe_scoring(self, model_id: int, seconds: float) -> None:
        self.scoring_seconds.labels(model=str(model_id)).observe(seconds)

    def watch(
        self, *, scoring: Callable[[], tuple[int, int]], ledger_entries: Callable[[], int]
    ) -> None:
        """``scoring`` gives this process's (queue depth, table cache bytes); ``ledger_entries``
        the ledger's length, the same for every process, read by the process scraped."""
        self._read_scoring = scoring
        ledger = _ReadAtScrape(
            lambda: {"privrec_ledger_entries": ("Entries in the market's ledger", ledger_entries())}
        )
        self.registry.register(ledger)
        self._shared.append(ledger)

    def sample(self) -> None:
        """Write this process's gauges (at each scrape, and every SAMPLE_EVERY_S in each worker
        when several share the metrics)."""
        depth, cached = self._read_scoring()
        self.queue_depth.set(depth)
        self.table_cache_bytes.set(cached)

    def exposition(self) -> bytes:
        """What a scrape reads: this process's metrics, or every worker's in multiprocess mode
        (the ledger's length read once, here)."""
        self.sample()
        if not self.multiprocess:
            return generate_latest(self.registry)
        everyone = CollectorRegistry()
        multiprocess.MultiProcessCollector(everyone)  # type: ignore[no-untyped-call]
        for collector in self._shared:
            everyone.register(collector)
        return generate_latest(everyone)

    def process_exited(self) -> None:
        """In multiprocess mode, drop this worker's gauges from the sums (its counts stay)."""
        if self.multiprocess:
            multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


class _ReadAtScrape(Collector):
    def __init__(self, read: Callable[[], dict[str, tuple[str, float]]]) -> None:
        self._read = read

    def collect(self) -> Iterator[GaugeMetricFamily]:
        for name, (text, value) in self._read().items():
            yield GaugeMetricFamily(name, text, value=value)


def _route_template(scope: Scope) -> str:
    """The path template of the route that answered ``scope`` ("/v1/models/{model_id}").

    The router leaves the route in the scope with its path relative to the router that
    declares it; the prefixes above it are literal, so they are the request path's leading
    segments (a route's parameters never span a "/" here)."""
    route = scope.get("route")
    relative = getattr(route, "path", None)
    if not isinstance(relative, str):
        root = str(scope.get("root_path", ""))
        return root if root.startswith(STATIC_PATH) else UNMATCHED
    kept = scope["path"].rstrip("/").count("/") - relative.rstrip("/").count("/")
    prefix = "/".join(scope["path"].split("/")[: kept + 1]) if kept > 0 else ""
    return prefix + relative


class RequestTimer:
    """ASGI middleware: observes each HTTP request's latency under its route template."""

    def __init__(self, app: ASGIApp, *, metrics: MarketMetrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def remember_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, remember_status)
        finally:
            route = _route_template(scope)
            self.metrics.request_seconds.labels(
                method=scope["method"] if scope["method"] in METHODS else "OTHER",
                route=route,
                status=f"{status // 100}xx",
            ).observe(time.perf_counter() - started)
