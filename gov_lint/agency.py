"""Agency names: one comparable key per reporting body.

Reports name their body in the title ("××县人民政府2023年政府信息公开工作年度报告")
or the preamble, with variations that do not change who the body is: full-width
characters, spaces, 人民政府 vs 政府, a trailing 办 for 办公室, the year or the words
"政府信息公开工作年度报告" left over from the title.  `agency_key` folds those, so
the cross-year rules and fingerprints can group reports of one body.

Renamed bodies (a 局 merged into another, a 县 that became a 区) are joined with an
agency map: a TOML or CSV file of "old name → canonical name" (`--agency-map`).

Where the name comes from (`find_agency`): the report's title, a crawler's `标题:` /
`发布机构:` header, the signature line above the date at the end, and the contact
sentence ("请联系××局办公室").  Site chrome (当前位置, 首页, 政务公开, 微信, 全真版 …) is
never a name: a saved web page often starts with a breadcrumb that holds the title
somewhere in the middle.  A title or header is a confident source; a signature or
a contact sentence alone is not, unless another source names the same body.  Only
a confident name becomes `Report.agency`; an unconfident one is kept as a guess,
and cross-year rules that pair reports by a guess give at most an info.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .tomlfile import tomllib

from .errors import UserError
from .text import fold

_DROP = re.compile(r"[\s\u200b\u3000\"'“”‘’《》<>「」『』【】\[\]·•・#*]+")
_TITLE_TAIL = re.compile(
    r"(关于)?(\d{4}年度?|[〇零一二三四五六七八九]{4}年度?)?"
    r"(政府信息公开(工作)?(年度)?报告|政务公开(工作)?(年度)?报告|信息公开(工作)?(年度)?报告|年度报告)$"
)
_YEAR_TAIL = re.compile(r"(\d{4}|[〇零一二三四五六七八九]{4})年度?$")
_LEAD = re.compile(r"^关于")


@lru_cache(maxsize=4096)  # every finding's fingerprint and every cross-year pairing asks again for the same names
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


# --------------------------------------------------------------------------- where the name comes from

# words of a web page's frame, never part of a body's name
CHROME = ("当前位置", "您现在的位置", "您的位置", "所在位置", "首页", "微信", "微博", "QQ空间", "全真版", "文字版",
          "无障碍", "打印本页", "关闭窗口", "分享到", "字号", "浏览次数", "网站地图", "来源", "发布时间")
# breadcrumb steps that may stand between the chrome and the name
_CRUMBS = re.compile(r"^(?:政务公开|政府信息公开|信息公开|政府信息公开年报|信息公开年报|年度报告|年报|法定主动公开内容"
                     r"|政府信息公开指南|部门信息公开|部门)+")
# words a name may end in (a body, not a sentence)
_BODY_END = re.compile(r"(?:人民政府|政府|办公室|办公厅|委员会|管委会|局|委|厅|署|院|中心|办事处|街道|镇|乡|所|站|队|处|馆|会|社"
                       r"|公司|集团|银行|学校|大学|医院|监狱|支队|大队|分局|总局|办|区|县|市|省|州|旗|盟|村)$")
_GENERIC = ("政府", "人民政府", "办公室", "县政府", "市政府", "区政府", "管委会", "委员会")
_NOT_NAMES = ("本机关", "本单位", "我局", "我委", "我办", "本局", "我镇", "我乡", "本部门", "本年度", "根据", "本报告")
_YEARS = r"(?:19|20)\d{2}|[一二][〇零○Oo一二三四五六七八九]{3}"
# "<name> 2023 年(度)(的)政府信息公开…" anywhere in a line
_NAME_BEFORE_YEAR = re.compile(
    r"(?P<name>[^\s<>|｜»›/\\:：,，。;；“”\"'《》〔〕\[\]]{2,60}?)\s*(?P<year>" + _YEARS + r")\s*年度?\s*的?\s*"
    r"(?:政府信息公开|政务公开|信息公开)"
)
_TAIL_WORDS = re.compile(r"(?:关于(?:报送|印发|公布|发布|做好)?|报送|印发|公布|发布|的)+$")
_DATE_LINE = re.compile(r"^\s*(?:" + _YEARS + r")\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_NAME_AND_DATE = re.compile(r"^\s*(?P<name>[^\s\d，。,:：;；]{3,30}?)\s+(?:" + _YEARS + r")\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
# every alternative starts with a plain character, so the regex engine skips ahead to 联/受/请
# instead of trying the pattern at every character of the report
_CONTACT = re.compile(
    r"(?:联系单位\s*[:：为是]\s*|受理单位\s*[:：为是]\s*|受理机关\s*[:：为是]\s*|受理机构\s*[:：为是]\s*"
    r"|联系机关\s*[:：为是]\s*|请(?:与|向|联系|致电|咨询)\s*)"
    r"(?P<name>[^\s，。,:：;；（(、\d]{4,30}?)(?=联系|咨询|反映|办公室|[，。,;；（(\s]|$)"
)


@dataclass(frozen=True)
class Candidate:
    """A name for the reporting body, where it was read and how sure that source is."""

    name: str
    source: str  # title | header | publisher | signature | contact
    line: int = 0  # 1-based line of the document (0: not in the text)
    start: int = 0  # 0-based offsets of the name in that line
    end: int = 0

    @property
    def confident(self) -> bool:
        return self.source in ("title", "header", "publisher")


@lru_cache(maxsize=4096)  # a pure function of short text; an archive names the same bodies again and again
def clean_name(raw: str) -> str | None:
    """A body's name from the text before a title's year: chrome cut off, trailing 关于/报送 removed.

    >>> clean_name("当前位置:首页政务公开某某县交通局")
    '某某县交通局'
    >>> clean_name("某某县人民政府关于报送")
    '某某县人民政府'
    >>> clean_name("当前位置:首页") is None
    True
    """
    s = _DROP.sub("", fold(raw))
    cut = max((s.rfind(w) + len(w) for w in CHROME if w in s), default=0)
    s = s[cut:].lstrip(":：>›»-—_|/")
    s = _CRUMBS.sub("", s)
    s = _LEAD.sub("", s)
    s = _TAIL_WORDS.sub("", s)
    s = _TITLE_TAIL.sub("", s)
    s = s.strip("()（）-—_:：,，.。>")
    if len(s) < 2 or any(s.startswith(w) for w in _NOT_NAMES) or any(ch.isdigit() for ch in s):
        return None
    if s in _GENERIC or not _BODY_END.search(s):  # "工作", "政府": words left over, not a body
        return None
    return s


def name_in_title(text: str) -> tuple[str, int, int] | None:
    """(name, start, end) of the body named before a title's year in `text` (0-based offsets).

    A plain title line gives everything before the year ("某 某 县 人民政府 2023 年…");
    a line with site chrome or prose gives the run of text just before the year.
    """
    for m in _NAME_BEFORE_YEAR.finditer(text):
        prefix = text[: m.start("year")]
        plain = not any(w in prefix for w in CHROME) and not _CLAUSE_MARK.search(prefix) and len(prefix) <= 60
        lo = 0 if plain else m.start("name")
        name = clean_name(text[lo: m.start("year")])
        if name is None and plain:
            lo = m.start("name")
            name = clean_name(text[lo: m.start("year")])
        if name is None:
            continue
        span = _span_of(text, lo, m.start("year"), name)
        return name, span[0], span[1]
    return None


_CLAUSE_MARK = re.compile(r"[。，,;；:：]")  # prose or a breadcrumb before a title's year


@lru_cache(maxsize=1024)
def _dropped(ch: str) -> bool:
    """Whether `_DROP` takes this one character (asked for every character `_span_of` walks back over)."""
    return _DROP.fullmatch(ch) is not None


def _span_of(text: str, lo: int, hi: int, name: str) -> tuple[int, int]:
    """Where `name` (spaces and quotes dropped, folded) is printed in text[lo:hi], matched from its end."""
    folded = fold(text)
    end = folded.rfind(name[-1], lo, hi) + 1
    if end <= 0:
        return lo, hi
    i, k = end, len(name)
    while i > lo and k > 0:
        i -= 1
        if _dropped(folded[i]):
            continue
        if folded[i] != name[k - 1]:
            break
        k -= 1
    return i, end


def signature_name(lines: list[str]) -> tuple[str, int, int, int] | None:
    """(name, line, start, end) of the body signed above (or beside) the date at the end."""
    tail = max(0, len(lines) - 40)
    for i in range(len(lines) - 1, tail - 1, -1):
        text = lines[i]
        m = _NAME_AND_DATE.match(text)
        if m and _BODY_END.search(m.group("name")):
            name = clean_name(m.group("name"))
            if name:
                return name, i + 1, m.start("name"), m.end("name")
        if not _DATE_LINE.match(text):
            continue
        j = i - 1
        while j >= tail and not lines[j].strip():
            j -= 1
        if j < tail:
            return None
        raw = lines[j].strip()
        if len(raw) <= 30 and _BODY_END.search(_DROP.sub("", raw)):
            name = clean_name(raw)
            if name:
                at = lines[j].find(raw)
                return name, j + 1, at, at + len(raw)
        return None
    return None


def contact_name(text: str) -> str | None:
    """The body named in the contact sentence ("请联系××局办公室"), if it reads as a body's name."""
    for m in _CONTACT.finditer(text):
        name = clean_name(m.group("name"))
        if name and _BODY_END.search(name):
            return name
    return None


def same_body(a: str, b: str) -> bool:
    """Two names of one body: equal keys, or one is the other's internal office ("××局" / "××局办公室")."""
    ka, kb = agency_key(a), agency_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    return long_.startswith(short) and long_[len(short):] in ("办公室", "办", "综合科", "政务公开办公室")


def choose(cands: list[Candidate]) -> tuple[Candidate | None, bool]:
    """The name to use and whether it is confident.

    A title or header is confident by itself; a signature or contact sentence
    only when another source names the same body.  Sources in order of trust:
    title, header, publisher, signature, contact.
    """
    if not cands:
        return None, False
    rank = {"title": 0, "header": 1, "publisher": 2, "signature": 3, "contact": 4}
    ordered = sorted(cands, key=lambda c: rank.get(c.source, 9))
    best = ordered[0]
    if best.confident:
        return best, True
    agree = any(same_body(best.name, c.name) for c in ordered[1:])
    return best, agree


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

    def knows(self, name: str | None) -> bool:
        """Whether the map names this body (as an old or a new name): the user vouched for it."""
        key = agency_key(name)
        return bool(key) and (key in self._map or key in self._map.values())

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
