"""Output formats: name → Renderer class.  Each module renders only the Finding record."""

from __future__ import annotations

from .base import Renderer, RenderOptions, Summary
from .concise import ConciseRenderer
from .full import FullRenderer
from .json import JsonRenderer

FORMATS: dict[str, type[Renderer]] = {
    "full": FullRenderer,
    "concise": ConciseRenderer,
    "json": JsonRenderer,
}


def _register_optional() -> None:
    """Formats in their own modules; each registers if its module imports."""
    import importlib

    for name, module, cls in (
        ("json-lines", "jsonlines", "JsonLinesRenderer"),
        ("sarif", "sarif", "SarifRenderer"),
        ("github", "github", "GitHubRenderer"),
        ("gitlab", "gitlab", "GitLabRenderer"),
        ("junit", "junit", "JUnitRenderer"),
        ("csv", "csv", "CsvRenderer"),
        ("summary", "summary", "SummaryRenderer"),
        ("summary-csv", "summary", "SummaryCsvRenderer"),
        ("html", "html", "HtmlRenderer"),
    ):
        try:
            mod = importlib.import_module(f".{module}", __name__)
            FORMATS[name] = getattr(mod, cls)
        except (ImportError, AttributeError):
            continue


_register_optional()

DRAWS_TABLES = frozenset({"html"})  # formats that draw a result's tables (the cache reads them only then)

__all__ = ["DRAWS_TABLES", "FORMATS", "Renderer", "RenderOptions", "Summary"]
