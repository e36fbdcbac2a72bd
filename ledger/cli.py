"""``privrec ledger verify FILE --market-key KEY [--head HEAD]``: replay an exported ledger,
check it reaches the market's signed head, and print a report."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Final, TextIO

from ledger.economy import LedgerError
from ledger.entries import MAX_LINE_BYTES
from ledger.head import MAX_HEAD_CHARS, SignedHead, verify_export
from ledger.replay import Report
from ledger.verify import verify_ledger

MAX_FILE_BYTES: Final = 4 * 1024**3  # about five million entries
SHOWN_BALANCES: Final = 40


def _lines(handle: BinaryIO, max_bytes: int) -> Iterator[bytes]:
    read = 0
    # readline's limit bounds memory per line; an over-long line fails verification as such.
    while line := handle.readline(MAX_LINE_BYTES + 2):
        read += len(line)
        if read > max_bytes:  # the file grew after its size was checked
            raise LedgerError(f"the file is larger than {max_bytes} bytes")
        yield line


def format_report(report: Report, name: str, *, head_checked: bool = True) -> str:
    """A readable report: the verdict first, then totals and balances."""
    if report.ok:
        closed = report.closed_epochs
        epochs = f"{len(closed)} epochs closed" + (f" (last {closed[-1]})" if closed else "")
        lines = [f"{name}: OK, {report.entries} entries verified, {epochs}"]
        if not head_checked:
            lines.append("  (no signed head given: a ledger cut short would also pass)")
    else:
        where = "" if report.bad_seq is None else f" at seq {report.bad_seq}"
        lines = [
            f"{name}: FAILED{where}: {report.error}",
            f"  {report.entries} entries verified before it; balances below are as of then",
        ]
    totals = report.totals
    lines.append(
        f"  minted {totals.minted}, burned {totals.burned}, in circulation {totals.circulating}"
    )
    shown = list(report.balances.items())[:SHOWN_BALANCES]
    if shown:
        width = max(len(account) for account, _ in shown)
        lines.append("  balances:")
        lines.extend(f"    {account:<{width}}  {amount:>16}" for account, amount in shown)
    if len(report.balances) > len(shown):
        lines.append(f"    ... and {len(report.balances) - len(shown)} more accounts")
    return "\n".join(lines)


def verify_file(
    path: str | os.PathLike[str],
    market_key_hex: str,
    *,
    max_bytes: int = MAX_FILE_BYTES,
    out: TextIO | None = None,
    head_path: str | os.PathLike[str] | None = None,
) -> int:
    """Verify the ledger file at ``path`` against the market's public key (hex) and print a
    report; the exit status is 0 when it verifies, else 1. With ``head_path`` (the market's
    signed head, GET /v1/ledger/head), an export that stops short of it or forks fails."""
    out = sys.stdout if out is None else out
    name = os.fspath(path)
    head = None
    if head_path is not None:
        try:
            head = SignedHead.from_json(Path(head_path).read_bytes()[: MAX_HEAD_CHARS + 1])
        except OSError as error:
            print(f"{os.fspath(head_path)}: cannot read: {error.strerror or error}", file=out)
            return 1
        except (LedgerError, UnicodeError) as error:
            print(f"{os.fspath(head_path)}: not a signed head: {error}", file=out)
            return 1
    try:
        file = Path(path)
        if not file.is_file():
            print(f"{name}: not a file", file=out)
            return 1
        size = file.stat().st_size
        if size > max_bytes:
            print(f"{name}: {size} bytes is more than the {max_bytes}-byte limit", file=out)
            return 1
        with file.open("rb") as handle:
            lines, key = _lines(handle, max_bytes), market_key_hex.strip()
            report = verify_ledger(lines, key) if head is None else verify_export(lines, key, head)
    except OSError as error:
        print(f"{name}: cannot read: {error.strerror or error}", file=out)
        return 1
    print(format_report(report, name, head_checked=head is not None), file=out)
    return 0 if report.ok else 1
