"""table_blob.some_rows: only the named rows of a result's tables, from a cache entry or from a fresh result."""

from __future__ import annotations

from pathlib import Path

from gov_lint import cache, table_blob
from gov_lint.check import check_path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "2021" / "errors.txt"


def test_some_rows_from_a_cache_entry_equal_those_of_the_fresh_result():
    result = check_path(EXAMPLE)
    assert set(result.tables) == {"二", "三", "四"}
    cached, _ = cache.decode(cache.encode(result), result.path)
    assert isinstance(cached.tables, table_blob.LazyTables)
    rows = {"三": {"一", "三.七"}, "四": None}
    picked = table_blob.some_rows(cached.tables, rows)
    assert cached.tables._tables is None  # nothing else was decoded
    fresh = table_blob.some_rows(result.tables, rows)
    assert set(picked) == set(fresh) == {"三", "四"}
    assert list(picked["三"].rows) == list(fresh["三"].rows) == ["一", "三.七"]
    whole, _ = cache.decode(cache.encode(result), result.path)  # every row decoded (values are not cached)
    assert picked["三"].rows["一"] == whole.tables["三"].rows["一"]
    assert picked["四"].rows == whole.tables["四"].rows
    assert picked["三"].unmatched == whole.tables["三"].unmatched
