"""Agency names: one comparable key per reporting body.

Reports name their body in the title ("××县人民政府2023年政府信息公开工作年度报告")
or the preamble, with variations that do not change who the body is: full-width
characters, spaces, 人民政府 vs 政府, a trailing 办 for 办公室, the year or the words
"政府信息公开工作年度报告" left over from the title.  `agency_key` folds those, so
the cross-year rules and fingerprints can group reports of one body.

Renamed bodies (a 局 merged into another, a 县 that became a 区) are joined with an
agency map: a TOML or CSV file of "old name → canonical name" (`--agency-map`).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .tomlfile import tomllib

from .errors import UserError
from .text import fold

_DROP = re.compile(r"[\s\u200b\u3000\"'“”‘’《》<>「」『』【】\[\]·•・]+")
_TITLE_TAIL = re.compile(
    r"(关于)?(\d{4}年度?|[〇零一二三四五六七八九]{4}年度?)?"
    r"(政府信息公开(工作)?(年度)?报告|政务公开(工作)?(年度)?报告|信息公开(工作)?(年度)?报告|年度报告)$"
)
_YEAR_TAIL = re.compile(r"(\d{4}|[〇零一二三四五六七八九]{4})年度?$")
_LEAD = re.compile(r"^关于")


def agency_key(name: str | None) -> str:
    """A comparison key for an agency name ("" when there is no name).

    >>> agency_key("ＸＸ县 人民政府") == agency_key("XX县政府")
    True
    >>> agency_key("XX县人民政府办公室") == agency_key("XX县政府办")
    True
    >>> agency_key("XX县人民政府") == agency_key("XX县人民政府办公室")
    False
    """
    if not name:
        return ""
    s = _DROP.sub("", fold(name))
    s = _LEAD.sub("", s)
    s = _TITLE_TAIL.sub("", s)
    s = _YEAR_TAIL.sub("", s)
    s = s.replace("人民政府", "政府")
    if s.endswith("政府办"):
        s += "公室"
    s = s.strip("()（）-—_:：,，.。")
    return s.upper()


class AgencyMapError(UserError, ValueError):
    """An agency map that cannot be read."""


class AgencyMap:
    """Old name → canonical name, compared by `agency_key`; chains (a→b→c) are followed."""

    def __init__(self, pairs: dict[str, str] | None = None) -> None:
        self._map: dict[str, str] = {}
        for old, new in (pairs or {}).items():
            k_old, k_new = agency_key(old), agency_key(new)
            if k_old and k_new and k_old != k_new:
                self._map[k_old] = k_new

    def __len__(self) -> int:
        return len(self._map)

    def canonical(self, name: str | None) -> str:
        """The grouping key of `name` after renames."""
        key = agency_key(name)
        seen = {key}
        while key in self._map:
            key = self._map[key]
            if key in seen:  # a cycle in the map: stop where it closes
                break
            seen.add(key)
        return key

    @classmethod
    def load(cls, path: str | Path) -> "AgencyMap":
        """Read a map from TOML (`"旧名" = "新名"`, top level or under [agencies]) or CSV (旧名,新名)."""
        p = Path(path)
        try:
            data = p.read_bytes()
        except OSError as exc:
            why = "文件不存在" if isinstance(exc, FileNotFoundError) else exc.strerror or exc
            raise AgencyMapError(f"无法读取机关名称对照表 {p}：{why}",
                                 f"cannot read the agency map {p}: {exc.strerror or exc}") from None
        text = data.decode("utf-8-sig", errors="replace")
        if p.suffix.lower() == ".csv":
            return cls(_read_csv(text, p))
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise AgencyMapError(f"机关名称对照表 {p} 不是有效的 TOML：{exc}",
                                 f"the agency map {p} is not valid TOML: {exc}") from None
        table = doc.get("agencies", doc)
        pairs: dict[str, str] = {}
        for old, new in table.items():
            if not isinstance(new, str):
                raise AgencyMapError(f"机关名称对照表 {p}：「{old}」的值应是新名称（字符串）",
                                     f"agency map {p}: the value of {old!r} must be a name (a string)")
            pairs[old] = new
        return cls(pairs)


def _read_csv(text: str, p: Path) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for n, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in row]
        if not cells or not any(cells) or cells[0].startswith("#"):
            continue
        if len(cells) < 2 or not cells[1]:
            raise AgencyMapError(f"机关名称对照表 {p} 第 {n} 行：应为「旧名称,新名称」两列",
                                 f"agency map {p} line {n}: expected two columns, old name,new name")
        if n == 1 and cells[0].lower() in ("old", "旧名称", "原名称", "from", "name"):
            continue  # header row
        pairs[cells[0]] = cells[1]
    return pairs
