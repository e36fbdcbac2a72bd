"""OpenStreetMap's named places of central Helsinki (ODbL 1.0): a validated loader, local
planar coordinates, and a SAMPLE week of visits (no openly licensed check-ins exist).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from recommenders.activity import ActivityEvent, Category
from recommenders.datasets import DATA_DIR, Catalog, DatasetError, _read_rows

OSM_SOURCE = "osm"  # the catalog's item ids are OpenStreetMap ids ("node/123")
PLACES_FILE = Path("osm_helsinki") / "places.csv.gz"
PLACE_COLUMNS = ("osm_id", "name", "category", "lat", "lon")
# Helsinki's coordinates (60°10'15"N 24°56'15"E): local coordinates are km east and north of it.
HELSINKI_CENTRE = (60.170833, 24.9375)
# Mean Earth radius (IUGG); over the catalog's 2 km the equirectangular error is ~0.05 %.
KM_PER_DEGREE = 6371.0088 * math.pi / 180.0
SAMPLE_PLACES_SOURCE = "sample-google-maps"

_OSM_ID = re.compile(r"(?:node|way|relation)/[1-9][0-9]{0,19}")
_OSM_TAG = re.compile(r"([a-z_]+)=(\S(?:.*\S)?)")
# Tags whose value alone does not read as a kind of place, or reads badly.
_KIND_WORDS = {
    "amenity=atm": "ATM",
    "leisure=dance": "dance hall",
    "tourism=information": "tourist information",
    "shop=yes": "shop",
    "shop=store": "shop",
    "shop=books": "bookshop",
    "shop=convenience": "convenience store",
    "shop=doityourself": "DIY store",
    "shop=handbags": "handbag shop",
    "shop=hats": "hat shop",
    "shop=hifi": "hi-fi shop",
    "shop=nails": "nail salon",
    "shop=nailstudio": "nail studio",
    "shop=records": "record shop",
    "shop=second_hand": "second-hand shop",
    "shop=shoes": "shoe shop",
    "shop=toys": "toy shop",
    "shop=variety_store": "variety store",
    "shop=watches": "watch shop",
}
# Shop values that already name a kind of shop ("bakery", not "bakery shop").
_SHOP_NOUNS = frozenset(
    {
        "bakery",
        "beauty_salon",
        "boutique",
        "butcher",
        "car_repair",
        "deli",
        "florist",
        "funeral_directors",
        "hairdresser",
        "kiosk",
        "laundry",
        "locksmith",
        "mall",
        "massage",
        "optician",
        "pawnbroker",
        "supermarket",
        "tailor",
        "travel_agency",
    }
)

FloatArray = NDArray[np.float64]


def kind_in_words(tag: str) -> str:
    """What an OSM tag says a place is, as people say it: "amenity=fast_food" -> "fast food",
    "shop=clothes" -> "clothes shop"; a list of values ("nightclub;restaurant") is joined."""
    match = _OSM_TAG.fullmatch(tag.strip())
    if match is None:
        raise ValueError(f"{tag!r} is not an OSM tag key=value")
    key, values = match.groups()
    words = []
    for value in (v.strip().lower() for v in values.split(";")):
        if not value:
            continue
        named = _KIND_WORDS.get(f"{key}={value}")
        if named is None:
            named = value.replace("_", " ")
            if key == "shop" and value not in _SHOP_NOUNS:
                named += " shop"
        words.append(named)
    return ", ".join(words) if words else key


def osm_link(osm_id: str) -> str:
    """The place's page on openstreetmap.org."""
    return f"https://www.openstreetmap.org/{osm_id}"


def local_km(latitudes: FloatArray, longitudes: FloatArray) -> FloatArray:
    """(n, 2) planar coordinates in km east and north of HELSINKI_CENTRE (equirectangular)."""
    lat0, lon0 = HELSINKI_CENTRE
    east = (np.asarray(longitudes) - lon0) * KM_PER_DEGREE * math.cos(math.radians(lat0))
    north = (np.asarray(latitudes) - lat0) * KM_PER_DEGREE
    return np.stack([east, north], axis=-1).astype(np.float64)


@dataclass(frozen=True, eq=False)
class Places:
    """The places catalog (row i = item i) with each place's tag and coordinates."""

    catalog: Catalog  # source "osm"; metadata: kind, osm_tag, url, lat, lon
    tags: tuple[str, ...]
    latitudes: FloatArray
    longitudes: FloatArray

    def __len__(self) -> int:
        return len(self.catalog)

    def coordinates(self) -> FloatArray:
        """(n, 2) km east and north of Helsinki's centre."""
        return local_km(self.latitudes, self.longitudes)

    def kinds(self) -> tuple[str, ...]:
        return tuple(m["kind"] for m in self.catalog.metadata)


def _coordinate(value: str, low: float, high: float, where: str, name: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise DatasetError(f"{where}: {name} {value!r} is not a number") from None
    if not (math.isfinite(number) and low <= number <= high):
        raise DatasetError(f"{where}: {name} {value} is outside [{low:g}, {high:g}]")
    return number


@functools.cache
def load_places(data_dir: Path = DATA_DIR) -> Places:
    """Load the bundled OpenStreetMap places of central Helsinki (1,174 named nodes)."""
    path = data_dir / PLACES_FILE
    ids: list[str] = []
    names: list[str] = []
    tags: list[str] = []
    latitudes: list[float] = []
    longitudes: list[float] = []
    # Line 1 is the header.
    for line, row in enumerate(_read_rows(path, PLACE_COLUMNS), start=2):
        where = f"{path.name} line {line}"
        osm_id, name, tag = (row[c].strip() for c in ("osm_id", "name", "category"))
        if not _OSM_ID.fullmatch(osm_id):
            raise DatasetError(f"{where}: osm_id {osm_id!r} is not node/, way/ or relation/<id>")
        if not name:
            raise DatasetError(f"{where}: place {osm_id} has no name")
        if not _OSM_TAG.fullmatch(tag):
            raise DatasetError(f"{where}: category {tag!r} is not an OSM tag key=value")
        latitudes.append(_coordinate(row["lat"], -90.0, 90.0, where, "lat"))
        longitudes.append(_coordinate(row["lon"], -180.0, 180.0, where, "lon"))
        ids.append(osm_id)
        names.append(name)
        tags.append(tag)
    metadata = tuple(
        MappingProxyType(
            {
                "kind": kind_in_words(tag),
                "osm_tag": tag,
                "url": osm_link(osm_id),
                "lat": f"{lat:.6f}",
                "lon": f"{lon:.6f}",
            }
        )
        for osm_id, tag, lat, lon in zip(ids, tags, latitudes, longitudes, strict=True)
    )
    catalog = Catalog(
        source=OSM_SOURCE,
        item_ids=tuple(ids),
        titles=tuple(names),
        categories=(Category.PLACES,) * len(ids),
        metadata=metadata,
    )
    lat_array = np.array(latitudes, dtype=np.float64)
    lon_array = np.array(longitudes, dtype=np.float64)
    lat_array.flags.writeable = lon_array.flags.writeable = False
    return Places(catalog=catalog, tags=tuple(tags), latitudes=lat_array, longitudes=lon_array)


# A SAMPLE, not anyone's real activity: a plausible week of a student at the University of
# Helsinki's city-centre campus, as (day, local hour, place name) with real catalog names
# (each unique in the catalog) and two visits a Takeout export would hold that no catalog
# lists. Google Takeout names places, so the events carry names and no OSM id.
SAMPLE_WEEK: tuple[tuple[int, float, str], ...] = (
    (0, 9.0, "Kansalliskirjasto"),
    (0, 12.0, "Unicafe Metsätalo"),
    (0, 15.5, "Think Corner"),
    (0, 19.0, "Home"),
    (1, 10.0, "Helsingin yliopiston pääkirjasto"),
    (1, 12.25, "Porthania"),
    (1, 18.0, "Thirsty Scholar"),
    (2, 9.5, "Kansalliskirjasto"),
    (2, 12.0, "Topelias"),
    (2, 19.5, "Kinopalatsi"),
    (3, 10.0, "Think Corner"),
    (3, 12.0, "Unicafe Metsätalo"),
    (3, 18.5, "Kaisla"),
    (4, 9.0, "Cafe Artisan"),
    (4, 12.5, "Vapiano"),
    (4, 20.0, "Sori Taproom"),
    (5, 11.0, "Karl Fazer Café"),
    (5, 14.0, "Kallion kirjasto"),
    (6, 12.0, "Hima Organic Café"),
)
# Helsinki in winter (EET); the sample's clock times are local.
_HELSINKI_TIME = timezone(timedelta(hours=2))


def sample_places_events(now: datetime) -> list[ActivityEvent]:
    """A SAMPLE week of place visits ending before ``now`` (see SAMPLE_WEEK): there is no
    openly licensed check-in data, so the demo user's places are made up, from real places."""
    if now.tzinfo is None:
        raise ValueError(f"now must be timezone-aware, got {now!r}")
    start = (now.astimezone(_HELSINKI_TIME) - timedelta(days=7)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return [
        ActivityEvent(
            category=Category.PLACES,
            source=SAMPLE_PLACES_SOURCE,
            title=name,
            external_id=None,
            time=start + timedelta(days=day, hours=hour),
        )
        for day, hour, name in SAMPLE_WEEK
    ]
