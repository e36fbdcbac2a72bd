"""Render a benchmark's JSON as the markdown table kept in docs/ (machine named above it).

python -m benchmarks.report artifacts/bench/he_scoring.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from benchmarks.common import print_table
from benchmarks.he_scoring import COLUMNS as HE_COLUMNS
from benchmarks.quality import COLUMNS as QUALITY_COLUMNS
from benchmarks.quality import COMPARISON_COLUMNS, LITTLE_HISTORY_COLUMNS

COLUMNS = {
    "he_scoring": HE_COLUMNS,
    "quality": QUALITY_COLUMNS,
    "quality-little-history": LITTLE_HISTORY_COLUMNS,
}
# Tables some benchmarks add under the main one: their JSON key and columns.
EXTRA_TABLES = {"quality": ("comparisons", COMPARISON_COLUMNS)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json_path", type=Path)
    args = parser.parse_args(argv)
    payload = json.loads(args.json_path.read_text())
    machine = payload["machine"]
    print(
        f"Machine: {machine['cpu']}, {machine['cores']} cores, Python {machine['python']} "
        f"({machine['platform']})\n"
    )
    print_table(payload["results"], COLUMNS[payload["benchmark"]])
    if payload["benchmark"] in EXTRA_TABLES:
        key, columns = EXTRA_TABLES[payload["benchmark"]]
        print()
        print_table(payload.get(key, []), columns)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
