"""Order-history CSV importers: one generic parser driven by a column mapping, with presets for
UCI Online Retail and Amazon's "Request my data" Retail.OrderHistory.1.csv."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from client_app.importers.base import (
    CANCELLED,
    RETURNED,
    EventSink,
    ParsedImport,
    ProgressCallback,
    csv_records,
    damped,
    line_count,
    parse_int,
    parse_time,
    read_text,
)
from recommenders.activity import Category
from recommenders.datasets import ONLINE_RETAIL_SOURCE


@dataclass(frozen=True)
class OrderColumns:
    """Which column holds what in an order-history CSV, and the shop (`source`) it came from.

    `time_formats` are strptime formats tried in order (ISO 8601 is accepted too; a time
    without a zone is UTC). A row whose `cancelled[0]` column starts with `cancelled[1]` is a
    cancellation and is skipped, as are rows with a quantity below 1.
    """

    title: str
    time: str
    item_id: str | None
    quantity: str | None
    source: str
    time_formats: tuple[str, ...]
    cancelled: tuple[str, str] | None = None

    @property
    def required(self) -> tuple[str, ...]:
        """The columns the header must name."""
        optional = (self.item_id, self.quantity, self.cancelled and self.cancelled[0])
        return (self.title, self.time, *(name for name in optional if name))


ONLINE_RETAIL_COLUMNS = OrderColumns(
    title="Description",
    time="InvoiceDate",
    item_id="StockCode",
    quantity="Quantity",
    source=ONLINE_RETAIL_SOURCE,
    time_formats=("%m/%d/%Y %H:%M", "%m/%d/%y %H:%M", "%m/%d/%Y %H:%M:%S"),
    cancelled=("InvoiceNo", "C"),
)

AMAZON_COLUMNS = OrderColumns(
    title="Product Name",
    time="Order Date",
    item_id="ASIN",
    quantity="Quantity",
    source="amazon",
    time_formats=("%m/%d/%Y", "%m/%d/%y"),
    cancelled=("Order Status", "Cancelled"),
)


def parse_orders_csv(
    path: Path,
    columns: OrderColumns,
    progress: ProgressCallback | None = None,
    *,
    valid_rows_only: bool = False,
) -> ParsedImport:
    """Import an order-history CSV described by `columns`; the importer key is "orders-<source>"."""
    text = read_text(path)
    sink = EventSink(
        importer=f"orders-{columns.source}",
        file_name=path.name,
        category=Category.PURCHASES,
        source=columns.source,
        total=line_count(text),
        progress=progress,
        valid_rows_only=valid_rows_only,
    )
    for line, row in csv_records(text, path.name, columns.required):
        with sink.at(f"line {line}"):
            time = parse_time(row[columns.time], columns.time_formats, what=columns.time)
            quantity = 1
            if columns.quantity is not None:
                quantity = parse_int(row[columns.quantity], what=columns.quantity)
            if _is_cancelled(row, columns):
                sink.skip(CANCELLED)
            elif quantity < 1:
                sink.skip(RETURNED)
            else:
                item_id = row[columns.item_id] if columns.item_id is not None else None
                # Twelve of a cheap item are not twelve times the interest (as in the datasets).
                sink.add(row[columns.title], item_id, time, damped(quantity))
        sink.advance(line)
    return sink.result()


def _is_cancelled(row: dict[str, str], columns: OrderColumns) -> bool:
    if columns.cancelled is None:
        return False
    column, prefix = columns.cancelled
    return row[column].strip().startswith(prefix)


def parse_online_retail(
    path: Path, progress: ProgressCallback | None = None, *, valid_rows_only: bool = False
) -> ParsedImport:
    """Import a UCI Online Retail CSV (InvoiceNo,StockCode,Description,Quantity,InvoiceDate,...)."""
    return parse_orders_csv(path, ONLINE_RETAIL_COLUMNS, progress, valid_rows_only=valid_rows_only)


def parse_amazon_orders(
    path: Path, progress: ProgressCallback | None = None, *, valid_rows_only: bool = False
) -> ParsedImport:
    """Import Amazon's Retail.OrderHistory.1.csv from "Request my data"."""
    return parse_orders_csv(path, AMAZON_COLUMNS, progress, valid_rows_only=valid_rows_only)
