"""Every path under the output folder, in one place.

Consumers' files (templates, catalogs, rendered articles, feeds, memory, manifest) keep the
layout DESIGN.md promises; `.locpipe/` holds what locpipe can rebuild (records, machine
translations, stamps, caches), so deleting it loses nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

WORK = ".locpipe"


@dataclass(frozen=True)
class Layout:
    root: Path

    # what consumers read
    def pot(self, article: str) -> Path:
        return self.root / "templates" / f"{article}.pot"

    def messages(self, locale: str) -> Path:
        """A locale's catalogs (.po, .mo)."""
        return self.root / locale / "LC_MESSAGES"

    def po(self, locale: str, article: str) -> Path:
        return self.messages(locale) / f"{article}.po"

    def mo(self, locale: str, article: str) -> Path:
        return self.messages(locale) / f"{article}.mo"

    def rendered(self, locale: str, article: str, suffix: str) -> Path:
        return self.root / locale / f"{article}{suffix}"

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    def manifest_page(self, page: int) -> Path:
        """Manifest pages: at 20,000 articles one file would cost seconds to read."""
        return self.root / "manifest" / f"page-{page:04d}.json"

    # the translation memory (people's work: kept with the outputs)
    @property
    def memory_folder(self) -> Path:
        return self.root / "memory"

    def memory(self, locale: str) -> Path:
        return self.memory_folder / f"{locale}.json"

    def seeds(self, locale: str) -> Path:
        return self.memory_folder / locale

    def seed_files(self, locale: str) -> list[Path]:
        folder = self.seeds(locale)
        return sorted(folder.glob("*.json")) if folder.is_dir() else []

    # what locpipe can rebuild
    @property
    def work(self) -> Path:
        return self.root / WORK

    @property
    def pages_cache(self) -> Path:
        """Each manifest page's key (its tasks' stamps) and summary, and the files indexes."""
        return self.work / "manifest-pages.json"

    def files_index(self, name: str) -> Path:
        """The stat and digest of every file a shard's page stands behind."""
        return self.work / "files" / name

    def records(self, shard: int, key: str) -> Path:
        return self.work / "records" / f"{shard:04d}-{key}.jsonl"

    def stamp(self, kind: str, name: str) -> Path:
        return self.work / "done" / kind / f"{name}.json"

    def catalog_cache(self, locale: str, shard: int) -> Path:
        """What each catalog held when locpipe last wrote it (its stat and reviewed key), so an
        unchanged catalog is never parsed again."""
        return self.work / "catalogs" / locale / f"{shard:04d}.json"

    def read_differs(self, shard: int, key: str) -> Path:
        """The inputs a shard's prepare task read with other bytes than the run had listed."""
        return self.work / "read-differs" / f"{shard:04d}-{key}.json"

    def ledger(self, locale: str, article: str) -> Path:
        """What locpipe last wrote in an article's catalog (pipeline.catalogs.ledger)."""
        return self.work / "ledger" / locale / f"{article}.json"

    def shard_plan(self, locale: str, shard: int, key: str) -> Path:
        return self.work / "plan" / locale / f"{shard:04d}-{key}.json"

    def plan_needs(self, plan: Path) -> Path:
        """A shard plan's sentences per language pair, named by digest: what chunk planning
        reads of a plan it has seen before."""
        return self.work / "plan-needs" / plan.parent.name / plan.name

    def mt(self, source: str, target: str, route_key: str, decode_key: str) -> Path:
        """Machine translations differ by model and decoding settings: one store each."""
        key = hashlib.sha256(f"{route_key}|{decode_key}".encode()).hexdigest()[:12]
        return self.work / "mt" / f"{source}-{target}" / key

    def memory_sources(self, locale: str) -> Path:
        return self.work / "memory" / f"{locale}.json"

    def feed_part(self, locale: str, feed: str, line: int, digest: str) -> Path:
        return self.work / "feed" / locale / feed / f"{line:06d}-{digest[:16]}.json"

    @property
    def runs(self) -> Path:
        return self.work / "runs"

    @property
    def progress(self) -> Path:
        return self.work / "progress"

    def plan_file(self, name: str) -> Path:
        return self.work / "plan" / f"{name}.json"
