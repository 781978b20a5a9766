"""Whether `make test` may test what `make build` has just built instead of building it again.

`make build` ends with `jdx build-stamp write`: build/build-stamp.json holds a digest of every input
of the build (every file of the repository but the build's outputs, caches and the venv: models,
seeds, macros, the answer files with the generated sample, reports/, the Python package, the pinned
requirements), the sha256 of the published warehouse and the listing (path, size, mtime) of the
built site; it stamps only if the inputs are still those `jdx build-stamp begin` recorded when the
build began (a file edited while the build ran would otherwise pass for built). `make test` asks
`jdx build-stamp check` before its own dbt build: when all three still match, nothing the build read
or wrote has changed since, so the scratch warehouse is a copy of the published one (its `dbt build`
ran every data and unit test and publishes nothing that fails one) and the site tested is
build/site. Anything changed, missing or unreadable answers "no" with the reason, and `make test`
builds everything itself, as from a clean clone (which is what CI does).
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

STAMP_VERSION = 1

# outputs of the build and tools' caches, not inputs (relative to the repository, '/'-separated); the
# municipality page's sources are written by the site build from the warehouse (jdx.report.evidence_site)
OUTPUT_PATHS = frozenset({
    ".git", ".venv", "target", "build", "logs", "warehouse", "dbt_packages",
    "reports/node_modules", "reports/build", "reports/.evidence", "reports/.warehouse", "reports/static/dbt",
    "reports/sources/warehouse/municipality_page",
})
CACHE_DIR_NAMES = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"})


@dataclass(frozen=True)
class Verdict:
    reusable: bool
    reason: str


def inputs_digest(repo: Path) -> str:
    """sha256 over the relative path and bytes of every input file (symlinks by their target), in path order."""
    digest = hashlib.sha256()
    files: list[tuple[str, Path]] = []
    for root, dirs, names in os.walk(repo):
        rel_root = Path(root).relative_to(repo).as_posix()
        prefix = "" if rel_root == "." else rel_root + "/"
        dirs[:] = sorted(d for d in dirs if prefix + d not in OUTPUT_PATHS and d not in CACHE_DIR_NAMES
                         and not d.endswith(".egg-info"))
        files.extend((prefix + name, Path(root) / name) for name in names)
    for rel, path in sorted(files):
        digest.update(rel.encode("utf-8") + b"\0")
        if path.is_symlink():
            digest.update(b"link:" + os.readlink(path).encode("utf-8"))
        else:
            _add_file(digest, path)
        digest.update(b"\0")
    return digest.hexdigest()


def _add_file(digest: hashlib._Hash, path: Path) -> None:
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    _add_file(digest, path)
    return digest.hexdigest()


def tree_listing_digest(folder: Path) -> str:
    """sha256 of the sorted (path, size, mtime_ns) of every file under folder: a changed, added or removed page shows."""
    rows = []
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            st = path.lstat()
            rows.append(f"{path.relative_to(folder).as_posix()}\t{st.st_size}\t{st.st_mtime_ns}")
    if not rows:
        raise FileNotFoundError(f"no files under {folder}")
    return hashlib.sha256("\n".join(sorted(rows)).encode("utf-8")).hexdigest()


def current(repo: Path, warehouse: Path, site: Path) -> dict[str, object]:
    return {
        "version": STAMP_VERSION,
        "inputs": inputs_digest(repo),
        "warehouse": file_digest(warehouse),
        "site": tree_listing_digest(site),
    }


def _begun(stamp: Path) -> Path:
    return stamp.with_name(stamp.name + ".inputs")


def begin(repo: Path, stamp: Path) -> str:
    """Record the inputs digest as the build starts (after the sample, before dbt): `write` stamps the
    build only if the inputs at its end are still these, so a file edited while the build ran is never
    taken for built. Removes any stamp of an earlier build."""
    stamp.unlink(missing_ok=True)
    digest = inputs_digest(repo)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    _begun(stamp).write_text(digest + "\n", encoding="utf-8")
    return digest


def write(repo: Path, warehouse: Path, site: Path, stamp: Path) -> dict[str, object] | None:
    """Record what `make build` built from which inputs (called as its last step, after it succeeded).
    Writes nothing and returns None when an input changed since `begin` (or `begin` did not run)."""
    values = current(repo, warehouse, site)
    begun = _begun(stamp)
    started = begun.read_text(encoding="utf-8").strip() if begun.exists() else None
    begun.unlink(missing_ok=True)
    if started != values["inputs"]:
        stamp.unlink(missing_ok=True)
        return None
    stamp.parent.mkdir(parents=True, exist_ok=True)
    tmp = stamp.with_name(stamp.name + ".tmp")
    tmp.write_text(json.dumps(values, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(stamp)
    return values


def check(repo: Path, warehouse: Path, site: Path, stamp: Path) -> Verdict:
    """Whether warehouse and site are still what the last successful `make build` made from today's inputs."""
    if not stamp.exists():
        return Verdict(False, f"no {stamp.name}: `make build` has not completed in this clone")
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return Verdict(False, f"{stamp.name} unreadable ({exc})")
    if not isinstance(recorded, dict) or recorded.get("version") != STAMP_VERSION:
        return Verdict(False, f"{stamp.name} is of another version")
    if not warehouse.is_file():
        return Verdict(False, f"no warehouse at {warehouse}")
    if file_digest(warehouse) != recorded.get("warehouse"):
        return Verdict(False, f"{warehouse.name} changed since `make build` published it")
    try:
        site_now = tree_listing_digest(site)
    except FileNotFoundError:
        return Verdict(False, f"no site at {site}")
    if site_now != recorded.get("site"):
        return Verdict(False, f"the site under {site} changed since `make build` built it")
    if inputs_digest(repo) != recorded.get("inputs"):
        return Verdict(False, "an input file (model, seed, answer file, page, package, requirement) changed since `make build`")
    return Verdict(True, "the warehouse and the site of the last `make build` were built from these very inputs")
