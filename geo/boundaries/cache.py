"""The cache under FRT_CACHE_DIR: the served GeoJSON and its manifest, written atomically."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import shapely.errors

from geo.boundaries.build import BuildResult
from geo.boundaries.coverage import dataset_key
from geo.boundaries.geometry import STYLES, WGS84
from geo.boundaries.sources import PACKAGE_VINTAGE, PUBLIC_FILE_MODE, sha256_bytes
from geo.config import Settings
from geo.records import Dataset

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
SERVED_DIR = "served"  # only served files live here: the app serves this whole folder


def cache_folder(settings: Settings) -> Path:
    return settings.cache_dir / "boundaries"


def styles_dict() -> dict[str, dict[str, float]]:
    return {level: style.as_dict() for level, style in STYLES.items()}


def manifest_for(result: BuildResult, served_name: str) -> dict[str, object]:
    return {
        "format": FORMAT_VERSION,
        "built_at": result.built_at,
        "complete": result.complete,
        "places_fetched": result.places_fetched,
        "unreachable": result.unreachable,
        "dataset": {
            "key": result.dataset_key,
            "note": "sha256 of the sorted [id, level, geoid] of every US jurisdiction",
        },
        "census_source": result.census_source,
        "vintages": {
            "place": result.census_year,
            "state": PACKAGE_VINTAGE,
            "county": PACKAGE_VINTAGE,
        },
        "styles": styles_dict(),
        "sources": [s.as_dict() for s in result.sources],
        "output": {
            "file": f"{SERVED_DIR}/{served_name}",
            "sha256": sha256_bytes(result.geojson),
            "bytes": result.size,
            "vertices": result.vertices,
            "features": len(result.polygons) + len(result.outline),
            "crs": WGS84,
        },
        "coverage": [c.as_dict() for c in result.coverage],
    }


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    ) as handle:
        temporary = Path(handle.name)
        handle.write(data)
    try:
        temporary.chmod(PUBLIC_FILE_MODE)  # temporary files start private (0600)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def write_cache(result: BuildResult, settings: Settings) -> BuildResult:
    """Write the GeoJSON (named by its hash, so browsers never keep a stale copy), then the
    manifest last, so a manifest always describes files that are complete."""
    folder = cache_folder(settings)
    served_name = f"boundaries-{sha256_bytes(result.geojson)[:16]}.geojson"
    served = folder / SERVED_DIR / served_name
    _write_atomic(served, result.geojson)
    manifest = folder / MANIFEST_NAME
    text = json.dumps(manifest_for(result, served_name), indent=1) + "\n"
    _write_atomic(manifest, text.encode("utf-8"))
    for old in served.parent.glob("boundaries-*.geojson"):
        if old != served:
            old.unlink(missing_ok=True)
    return replace(result, served_path=served, manifest_path=manifest)


# What parsing a damaged manifest or GeoJSON can raise (and nothing broader).
DAMAGED_CACHE_ERRORS = (
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    shapely.errors.ShapelyError,
)


@dataclass(frozen=True)
class CacheRead:
    """A usable cache (manifest + the served bytes), or the problem with it."""

    manifest: dict | None = None
    data: bytes = b""
    path: Path | None = None
    problem: str = ""
    corrupt: bool = False


def read_cache(dataset: Dataset, settings: Settings) -> CacheRead:
    """The cache if it is intact and made for this data, these styles and this vintage."""
    folder = cache_folder(settings)
    manifest_path = folder / MANIFEST_NAME
    try:
        manifest = json.loads(manifest_path.read_bytes())
        served = folder / str(manifest["output"]["file"])
        expected_sha = str(manifest["output"]["sha256"])
        stale = _stale_reason(manifest, dataset, settings)
    except (FileNotFoundError, NotADirectoryError):
        return CacheRead(problem="no cache yet")
    except OSError as error:
        return CacheRead(problem=f"{manifest_path} cannot be read ({error})", corrupt=True)
    except DAMAGED_CACHE_ERRORS as error:
        return CacheRead(problem=f"{manifest_path} is damaged ({error!r})", corrupt=True)
    if stale:
        return CacheRead(problem=stale)
    try:
        data = served.read_bytes()
    except OSError as error:
        return CacheRead(problem=f"{served} cannot be read ({error})", corrupt=True)
    if sha256_bytes(data) != expected_sha:
        problem = f"{served} does not match the sha256 in its manifest"
        return CacheRead(problem=problem, corrupt=True)
    return CacheRead(manifest=manifest, data=data, path=served)


def _stale_reason(manifest: dict, dataset: Dataset, settings: Settings) -> str:
    if manifest["format"] != FORMAT_VERSION:
        return "it was built by another version of the builder"
    if manifest["dataset"]["key"] != dataset_key(dataset):
        return "the data's jurisdictions changed since it was built"
    if manifest["vintages"]["place"] != settings.census_year:
        return f"it holds {manifest['vintages']['place']} place files, not {settings.census_year}"
    if manifest["styles"] != styles_dict():
        return "it was built with other tolerances"
    return ""
