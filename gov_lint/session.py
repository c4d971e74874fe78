"""The glue between the command line and a run: configuration → files → results.

`Session.start` loads and validates the configuration (raising `ConfigError`,
`BaselineError` or `AgencyMapError` before anything is checked, so the CLI can
exit 2), `files` lists what to check (folders walked, `exclude` applied, the
cache folder never included), and `results` yields the FileResults in input
order with the configuration's after-the-rules settings applied (per-file
ignores, severity overrides, baseline), cross-year blocks last.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from . import baseline as baseline_mod
from .agency import AgencyMap, AgencyMapError
from .cache import cache_salt
from .config import Config, ConfigError, Effective, load_config
from .model import SEVERITY_RANK, FileResult
from .runner import Run, RunStats, WorkerSpec, default_jobs, want_progress

__all__ = ["Session", "ConfigError", "AgencyMapError", "collect_files", "fails"]


def _suffixes() -> set[str]:
    from .readers import SUFFIXES

    return set(SUFFIXES)


def collect_files(paths: Iterable[str | Path], effective: Effective | None = None,
                  skip_dirs: Iterable[Path] = ()) -> list[str]:
    """Files to check, in the order given; folders walked recursively in sorted order.

    Folders holding a `CACHEDIR.TAG` (gov-lint's cache among them), hidden folders
    and `skip_dirs` are not entered.  Files matching `exclude` are left out,
    whether named or found.  A path that does not exist is kept (the check turns it
    into a per-file error).
    """
    suffixes = _suffixes()
    skip = {Path(os.path.abspath(p)) for p in skip_dirs}
    out: list[str] = []
    seen: set[str] = set()

    def add(p: str) -> None:
        if p in seen or (effective is not None and effective.excluded(p)):
            return
        seen.add(p)
        out.append(p)

    for arg in paths:
        arg = str(arg)
        if not os.path.isdir(arg):
            add(arg)
            continue
        for root, dirs, files in os.walk(arg):
            rootp = Path(os.path.abspath(root))
            dirs[:] = sorted(
                d for d in dirs
                if not d.startswith(".") and rootp / d not in skip and not (rootp / d / "CACHEDIR.TAG").exists()
                and not (effective is not None and effective.excluded(os.path.join(root, d) + "/"))
            )
            for name in sorted(files):
                if Path(name).suffix.lower() in suffixes and not name.startswith("."):
                    add(os.path.join(root, name))
    return out


def fails(result_severities: dict[str, int], fail_on: str) -> bool:
    """True when there are findings at or above `fail_on`."""
    floor = SEVERITY_RANK[fail_on]
    return any(n for sev, n in result_severities.items() if SEVERITY_RANK[sev] >= floor)


@dataclass
class Session:
    config: Config
    effective: Effective
    rules: Any  # the RuleSet of the run
    baseline: baseline_mod.BaselineFilter | None = None
    agency_map: AgencyMap | None = None
    stats: RunStats = field(default_factory=RunStats)

    @classmethod
    def start(
        cls,
        paths: list[str],
        rules: Any,
        *,
        config_file: str | None = None,
        isolated: bool = False,
        overrides: dict[str, Any] | None = None,
        use_baseline: bool = True,
    ) -> "Session":
        config = load_config(paths, config_file=config_file, isolated=isolated, overrides=overrides)
        effective = config.resolve(list(rules))
        s = cls(config=config, effective=effective, rules=rules)
        bl = config.path_value("baseline")
        if use_baseline and bl is not None:
            s.baseline = baseline_mod.BaselineFilter(baseline_mod.load(bl))
        am = config.path_value("agency-map")
        if am is not None:
            s.agency_map = AgencyMap.load(am)
        return s

    @property
    def lang(self) -> str:
        return self.config["lang"]

    def cache_dir(self, no_cache: bool = False) -> Path | None:
        return None if no_cache else self.config.path_value("cache-dir")

    def files(self, paths: list[str], no_cache: bool = False) -> list[str]:
        cd = self.cache_dir(no_cache)
        return collect_files(paths, self.effective, [cd] if cd else [])

    def jobs_for(self, n_files: int) -> int:
        j = self.config["jobs"]
        return j if j else default_jobs(n_files)

    def post(self, result: FileResult) -> FileResult:
        """What applies after the rules ran: per-file ignores, severity overrides, baseline."""
        result.findings = self.effective.apply(result.findings, result.path)
        if self.baseline is not None:
            self.baseline.apply(result)
        return result

    def results(
        self,
        files: list[str],
        check_options: Any,
        *,
        no_cache: bool = False,
        quiet: bool = False,
        keep_report: bool = False,
    ) -> Iterator[FileResult]:
        cd = self.cache_dir(no_cache)
        jobs = self.jobs_for(len(files))
        spec = WorkerSpec(
            check=check_options,
            cache_dir=str(cd) if cd else None,
            cache_salt=cache_salt(self.effective.rules_hash()) if cd else "",
            facts=True,
            keep_report=keep_report and jobs <= 1,
        )
        run = Run(files=files, spec=spec, jobs=jobs, selected=self.effective.selected, lang=self.lang,
                  agency_map=self.agency_map, post=self.post, progress=want_progress(quiet), stats=self.stats)
        return iter(run)

    def stale(self) -> list[baseline_mod.Entry]:
        return self.baseline.stale() if self.baseline is not None else []
