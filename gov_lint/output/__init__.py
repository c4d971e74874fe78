"""Output formats: name → Renderer class.  Each module renders only the Finding record."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from .base import Renderer, RenderOptions, Summary

# name → (module of this package, class); a module is imported the first time its format is asked for
_WHERE: dict[str, tuple[str, str]] = {
    "full": ("full", "FullRenderer"),
    "concise": ("concise", "ConciseRenderer"),
    "json": ("json", "JsonRenderer"),
    "json-lines": ("jsonlines", "JsonLinesRenderer"),
    "sarif": ("sarif", "SarifRenderer"),
    "github": ("github", "GitHubRenderer"),
    "gitlab": ("gitlab", "GitLabRenderer"),
    "junit": ("junit", "JUnitRenderer"),
    "csv": ("csv", "CsvRenderer"),
    "summary": ("summary", "SummaryRenderer"),
    "summary-csv": ("summary", "SummaryCsvRenderer"),
    "html": ("html", "HtmlRenderer"),
}


class _Formats(Mapping[str, "type[Renderer]"]):
    """The format registry.  A format's module is imported when the format is first asked for, so a
    run imports only the renderers it uses (a JSON run does without rich's console, the HTML page's
    code and the XML escaper: start-up time).  A format whose module needs a library that is not
    installed is not listed; an error in our own module is raised (an internal error)."""

    def __init__(self, where: dict[str, tuple[str, str]]) -> None:
        self._where = where
        self._loaded: dict[str, type[Renderer]] = {}

    def _load(self, name: object) -> type[Renderer] | None:
        cls = self._loaded.get(name) if isinstance(name, str) else None
        if cls is None and name in self._where:
            module, attr = self._where[name]  # type: ignore[index]
            try:
                cls = getattr(importlib.import_module(f".{module}", __name__), attr)
            except ImportError as exc:
                if (exc.name or "").split(".")[0] == "gov_lint":
                    raise  # our own module does not import: a bug in gov-lint, not an absent format
                return None  # a library the format needs is not installed
            self._loaded[name] = cls  # type: ignore[index]
        return cls

    def __getitem__(self, name: str) -> type[Renderer]:
        cls = self._load(name)
        if cls is None:
            raise KeyError(name)
        return cls

    def __contains__(self, name: object) -> bool:
        return self._load(name) is not None

    def __iter__(self) -> Iterator[str]:
        return iter([name for name in self._where if self._load(name) is not None])

    def __len__(self) -> int:
        return sum(1 for _ in self)


FORMATS: Mapping[str, type[Renderer]] = _Formats(_WHERE)

DRAWS_TABLES = frozenset({"html"})  # formats that draw a result's tables (the cache reads them only then)

__all__ = ["DRAWS_TABLES", "FORMATS", "Renderer", "RenderOptions", "Summary"]
