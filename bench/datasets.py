"""Benchmark data: signed bundles of N facilities × M months made by the demo machinery (``jbdesk demo``), and
head office as it stands before importing them. Built once and cached; each case works on a copy.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from jbdesk.bundle.container import FORMAT_VERSION
from jbdesk.domain.periods import Period

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Dataset:
    name: str  # "15×12"
    facilities: int
    through: Period
    root: Path  # holds hq/ (before any import) and bundles/
    build_seconds: float  # how long the demo machinery took to make it (when it was built)
    built_now: bool

    @property
    def hq(self) -> Path:
        return self.root / "hq"

    @property
    def bundles(self) -> list[Path]:
        return sorted((self.root / "bundles").glob("*.jbd"))

    def fresh_hq(self, into: Path) -> Path:
        """A copy of head office before any import (its registry and enrolled keys)."""
        target = into / f"hq-{self.facilities}-{time.monotonic_ns()}"
        shutil.copytree(self.hq, target)
        return target


def default_cache() -> Path:
    return Path(tempfile.gettempdir()) / "jbdesk-bench-cache"


def _fingerprint() -> str:
    """What makes cached bundles stale: the bundle format and the demo's data version. (A newer database schema
    does not: the cached head office is migrated when a case opens its copy. A payload change the importer
    refuses is reported by the import case: rebuild with --fresh.)"""
    from jbdesk.demo.data import DATA_VERSION

    return hashlib.sha256(f"format{FORMAT_VERSION}:data{DATA_VERSION}".encode()).hexdigest()[:10]


def dataset(facilities: int, through: str, cache: Path, *, seed: int = 2026, fresh: bool = False, log=print) -> Dataset:
    """The cached dataset, built with ``jbdesk.demo`` when missing (or ``fresh``)."""
    from jbdesk.demo import DemoOptions, build_demo

    period = Period.parse(through)
    name = f"{facilities}×{period.index}"
    key = f"f{facilities}-{period}-s{seed}-{_fingerprint()}"
    root = cache / key
    meta_path = root / "meta.json"
    if fresh and root.exists():
        shutil.rmtree(root)
    if meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        return Dataset(name, facilities, period, root, meta["build_seconds"], False)
    cache.mkdir(parents=True, exist_ok=True)
    work = cache / f".{key}.building"
    if work.exists():
        shutil.rmtree(work)
    log(f"bench: building {name} with the demo machinery (facilities {facilities}, through {period}) ...")
    started = time.perf_counter()
    verbose_every = max(1, facilities // 20)
    count = [0]

    def progress(line: str) -> None:
        if not line.startswith("  "):
            count[0] += 1
            if count[0] % verbose_every == 0:
                log(f"bench:   {line}")

    build_demo(
        DemoOptions(root=work, through=period, facilities=facilities, seed=seed, do_import=False, verbose=False),
        progress,
    )
    seconds = time.perf_counter() - started
    shutil.rmtree(work / "facilities", ignore_errors=True)  # the facility PCs are not needed any more
    shutil.rmtree(work / "files", ignore_errors=True)
    bundles = len(list((work / "bundles").glob("*.jbd")))
    meta = {"build_seconds": seconds, "bundles": bundles, "facilities": facilities, "through": str(period)}
    (work / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    work.rename(root)
    log(f"bench: {name} built in {seconds:.1f} s ({bundles} bundles), cached in {root}")
    return Dataset(name, facilities, period, root, seconds, True)
