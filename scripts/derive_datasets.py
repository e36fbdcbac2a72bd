"""Derive the data shipped in recommenders/data/ from the shared datasets (a dev-time script).

Usage: python scripts/derive_datasets.py [--source /work/shared/datasets] [--dest recommenders/data]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script: the packages live beside scripts/

from recommenders.stackexchange_posts import QUESTION, SITES, read_posts  # noqa: E402

DEFAULT_SOURCE = Path("/work/shared/datasets")
DEFAULT_DEST = REPO / "recommenders" / "data"
MAX_TOTAL_BYTES = 12 * 1024 * 1024

RETAIL_COLUMNS = (
    "customer_id",
    "invoice",
    "stock_code",
    "description",
    "quantity",
    "invoice_time_utc",
)
BOOK_COLUMNS = (
    "book_id",
    "goodreads_book_id",
    "title",
    "authors",
    "original_publication_year",
    "language_code",
    "average_rating",
)
PLACE_COLUMNS = ("osm_id", "name", "category", "lat", "lon")

QUESTION_COLUMNS = ("item_id", "site", "title", "tags", "created_utc", "link", "licence")
EVENT_COLUMNS = ("user_id", "item_id", "time_utc", "action")

LASTFM_ARTIST_COLUMNS = ("artist_id", "name", "url", "listeners")
LASTFM_PLAY_COLUMNS = ("user_id", "artist_id", "plays")
# An artist only one user played cannot be learned from co-listening (held out, it has no
# training signal; kept in training, no one else can be predicted to like it): the catalog
# keeps artists with at least this many listeners, 6,953 of 17,632, which holds 82,155 of
# the 92,834 plays and keeps each music bundle under ~5 MB.
LASTFM_MIN_LISTENERS = 2
LISTENBRAINZ_COLUMNS = ("listened_at_utc", "artist", "track", "release")


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def write_csv_gz(path: Path, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write a gzip CSV with a zero mtime, so re-running the script gives identical bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(text.getvalue().encode("utf-8"))
    return count


def retail_rows(source: Path) -> Iterator[tuple[str, ...]]:
    for row in read_csv(source / "online_retail" / "transactions.csv.gz"):
        customer = row["customer_id"].strip()
        invoice = row["invoice"].strip()
        # Anonymous rows cannot be attributed to a user; cancellations and returns are not
        # purchases.
        if not customer or invoice.startswith("C") or int(row["quantity"]) <= 0:
            continue
        # Some exports write ids as floats ("17850.0"); the shipped file uses plain integers.
        customer = str(int(float(customer)))
        yield (
            customer,
            invoice,
            row["stock_code"].strip(),
            row["description"].strip(),
            row["quantity"].strip(),
            row["invoice_time_utc"].strip(),
        )


def osm_place_rows(source: Path) -> Iterator[tuple[str, ...]]:
    """The named Helsinki places, as extracted (ODbL): only whitespace is stripped."""
    with open(source / "osm_helsinki" / "helsinki_named_pois.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            yield tuple(row[column].strip() for column in PLACE_COLUMNS)


def year_as_int(value: str) -> str:
    """`2008.0` -> `2008`; empty stays empty."""
    value = value.strip()
    return str(int(float(value))) if value else ""


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def stackexchange_tables(source: Path) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """Questions (one row each) and "user asked or answered question" events of every site.

    Users and questions are per site, so both ids are written "<site>:<id>". Posts by deleted
    accounts (no owner) and answers to questions not in the dump are left out.
    """
    questions: list[tuple[str, ...]] = []
    events: list[tuple[str, ...]] = []
    for key, site in SITES.items():
        path = source / "stackexchange" / f"{key}.Posts.xml.gz"
        with gzip.open(path, "rb") as stream:
            posts = list(read_posts(stream, path.name))
        asked = {p.post_id: p for p in posts if p.post_type == QUESTION}
        for post in asked.values():
            questions.append(
                (
                    f"{key}:{post.post_id}",
                    key,
                    post.title,
                    ", ".join(post.tags),
                    _utc(post.created),
                    site.question_url(post.post_id),
                    post.licence,
                )
            )
        for post in posts:
            question = post.post_id if post.post_type == QUESTION else post.parent
            if post.owner is None or question not in asked:
                continue
            action = "asked" if post.post_type == QUESTION else "answered"
            events.append((f"{key}:{post.owner}", f"{key}:{question}", _utc(post.created), action))
    events.sort(key=lambda e: (e[2], e[0], e[1], e[3]))
    return questions, events


def read_tsv_gz(path: Path) -> list[list[str]]:
    """A gzipped tab-separated HetRec file without its header (its lines end in CRLF)."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        lines = f.read().splitlines()
    return [line.split("\t") for line in lines[1:] if line]


def derive_lastfm(source: Path, dest: Path) -> None:
    """HetRec 2011 Last.fm (NON-COMMERCIAL): the artists catalog and user-artist play counts."""
    hetrec = source / "lastfm_hetrec"
    plays = read_tsv_gz(hetrec / "user_artists.dat.gz")  # user, artist, play count
    listeners = Counter(artist for _, artist, _ in plays)
    kept = {artist for artist, n in listeners.items() if n >= LASTFM_MIN_LISTENERS}
    artists = []
    for artist_id, name, url, _picture in read_tsv_gz(hetrec / "artists.dat.gz"):
        if artist_id not in kept:
            continue
        if not url.startswith("http://www.last.fm/music/"):
            raise SystemExit(f"artist {artist_id}: unexpected Last.fm url {url!r}")
        # The same page over https: the app opens links in a browser.
        link = "https://" + url.removeprefix("http://")
        artists.append((artist_id, name.strip(), link, str(listeners[artist_id])))
    if len(artists) != len(kept):
        raise SystemExit(f"{len(kept) - len(artists)} played artists are missing from artists.dat")
    tables: list[tuple[str, Sequence[str], Sequence[Sequence[str]]]] = [
        ("artists.csv.gz", LASTFM_ARTIST_COLUMNS, artists),
        ("plays.csv.gz", LASTFM_PLAY_COLUMNS, [p for p in plays if p[1] in kept]),
    ]
    for name, columns, rows in tables:
        n = write_csv_gz(dest / "lastfm" / name, columns, rows)
        print(f"lastfm/{name}: {n} rows")


def derive_listenbrainz(source: Path, dest: Path) -> None:
    """The one public ListenBrainz user's listens (CC0), with ISO-8601 UTC times."""
    path = source / "listenbrainz" / "single_user_listens.tsv"
    with open(path, encoding="utf-8", newline="") as f:
        listens = [
            (
                _utc(datetime.fromtimestamp(int(row["listened_at"]), tz=UTC)),
                row["artist_name"].strip(),
                row["track_name"].strip(),
                row["release_name"].strip(),
            )
            for row in csv.DictReader(f, delimiter="\t")
        ]
    n = write_csv_gz(dest / "listenbrainz" / "listens.csv.gz", LISTENBRAINZ_COLUMNS, listens)
    print(f"listenbrainz/listens.csv.gz: {n} rows")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST)
    args = parser.parse_args(argv)
    source: Path = args.source
    dest: Path = args.dest

    n = write_csv_gz(
        dest / "online_retail" / "transactions.csv.gz", RETAIL_COLUMNS, retail_rows(source)
    )
    print(f"online_retail/transactions.csv.gz: {n} rows")

    goodbooks = source / "goodbooks"
    ratings = [
        (r["user_id"], r["book_id"], r["rating"]) for r in read_csv(goodbooks / "ratings.csv")
    ]
    to_read = [(r["user_id"], r["book_id"]) for r in read_csv(goodbooks / "to_read.csv")]
    used = {int(book) for _, book, _ in ratings} | {int(book) for _, book in to_read}
    books = [
        (
            b["book_id"],
            b["goodreads_book_id"],
            b["title"].strip(),
            b["authors"].strip(),
            year_as_int(b["original_publication_year"]),
            b["language_code"].strip(),
            b["average_rating"].strip(),
        )
        for b in read_csv(goodbooks / "books.csv")
        if int(b["book_id"]) in used
    ]
    missing = used - {int(b[0]) for b in books}
    if missing:
        raise SystemExit(f"{len(missing)} rated or to-read books are missing from books.csv")
    tables: list[tuple[str, Sequence[str], Sequence[Sequence[str]]]] = [
        ("books.csv.gz", BOOK_COLUMNS, books),
        ("ratings.csv.gz", ("user_id", "book_id", "rating"), ratings),
        ("to_read.csv.gz", ("user_id", "book_id"), to_read),
    ]
    for name, columns, rows in tables:
        n = write_csv_gz(dest / "goodbooks" / name, columns, rows)
        print(f"goodbooks/{name}: {n} rows")

    questions, events = stackexchange_tables(source)
    for name, columns, rows in (
        ("questions.csv.gz", QUESTION_COLUMNS, questions),
        ("events.csv.gz", EVENT_COLUMNS, events),
    ):
        n = write_csv_gz(dest / "stackexchange" / name, columns, rows)
        print(f"stackexchange/{name}: {n} rows")

    n = write_csv_gz(dest / "osm_helsinki" / "places.csv.gz", PLACE_COLUMNS, osm_place_rows(source))
    print(f"osm_helsinki/places.csv.gz: {n} rows")

    derive_lastfm(source, dest)
    derive_listenbrainz(source, dest)

    total = 0
    # The prebuilt reference bundles are budgeted apart (each zip well under 5 MB).
    for path in sorted(dest.rglob("*")):
        if path.is_file() and path.parent.name != "reference":
            size = path.stat().st_size
            total += size
            print(f"  {path.relative_to(dest)}: {size / 1024:,.0f} KiB")
    print(f"total: {total / 1024 / 1024:.2f} MiB (limit {MAX_TOTAL_BYTES / 1024 / 1024:.0f} MiB)")
    if total > MAX_TOTAL_BYTES:
        print("shipped data is over the size limit", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
