"""Find the section-二, section-三 and section-四 tables among the classified lines.

Tables are recognised by their content (captions, header words, row labels), not
by the section they sit in: a report whose section-三 heading is lost still has its
table read.  Rows are keyed by matching normalised labels against the template
data (gov_lint.templates); numbers are mapped to columns by position once the row's
cells are known to be complete.  Whatever cannot be read is recorded on the Table
(`unmatched` rows, rows with `problems`) for the P rules to report; nothing is
guessed silently.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple, Sequence

from ..model import Cell, CellCount, Duplicate, HeaderUnknown, LabelInferred, NoNumbers, Row, Span, Table
from ..templates import ColumnSpec, RowSpec, common, header_pieces, load_template, match_phrase, match_row3
from ..text import label_key, phrase_finder, phrase_firsts
from .cells import is_numeric, read_cell, read_cells, row_cells, split_row
from .decode import Run, make_run
from .lines import Line, first_line_with

_CAPTION = re.compile(r"第二十条第\(?([一二三四五六七八九十])\)?项")  # （一） or plain 一
# _CAPTION searched in a line's folded text instead of its key: the characters label_key drops may
# stand between any two of the caption's (label_key's other change, the punctuation after a digit,
# touches none of them), so it matches exactly when _CAPTION matches the key, with the same item
_D = r"[\s*#|_`]*"
_CAPTION_TEXT = re.compile(rf"第{_D}二{_D}十{_D}条{_D}第{_D}(?:\({_D})?([一二三四五六七八九十]){_D}(?:\){_D})?项")


class RawRow(NamedTuple):
    """A row line split into label text and data cells, before it is keyed.

    A named tuple (never changed once made): the table-三 reader makes one per row with
    `tuple.__new__`, without a Python-level `__init__`."""

    line: int
    label: str
    label_span: Span | None
    data: tuple[tuple[str, Span], ...] | list[tuple[str, Span]]
    fragments: list[str] | tuple[()] = ()  # label text from neighbouring lines
    cells: tuple[tuple[str, Span], ...] = ()  # every cell of the line, label cells included

    @property
    def has_numbers(self) -> bool:
        return any(is_numeric(raw) for raw, _ in self.data)


_NO_FRAGMENTS: tuple[()] = ()  # a RawRow without label fragments

# words written in a count cell instead of a number (A120), never part of a row label
_VALUE_WORDS = {"无", "暂无", "没有", "空"}
# a label cell that ends in numbers separated from it by spaces only: "行政事业性收费  4"
_NUM = r"[+\-]?\d[\d,.]*(?:\s*(?:万元|亿元|元|个|件|项|条|次|人|家|宗|份))?"
_LABEL_NUMBERS = re.compile(rf"^(?P<label>.*?[^\d\s,.+\-])\s+(?P<nums>{_NUM}(?:\s+{_NUM})*)$")
_NUM_END = frozenset(",.元个件项条次人家宗份")  # besides digits, the characters a _NUM can end with


def split_label(cells: list[tuple[str, Span]]) -> tuple[str, Span | None, list[tuple[str, Span]]]:
    """Leading text cells form the label; the data starts at the first numeric cell
    (or a word such as 无 written where a number belongs).

    Numbers at the end of the last label cell, separated by spaces instead of a
    tab (PDF text), are data cells of their own: left in the label they would
    shift every number of the row one column to the left.
    """
    first = len(cells)
    for i in range(first):
        raw = cells[i][0]
        if is_numeric(raw) or raw in _VALUE_WORDS:
            first = i
            break
    label_cells = [c for c in cells[:first] if c[0]]
    if label_cells:
        raw, sp = label_cells[-1]
        # _LABEL_NUMBERS can only match a cell that ends as a number or a unit does
        m = _LABEL_NUMBERS.match(raw) if raw[-1].isdigit() or raw[-1] in _NUM_END else None
        if m is None and len(label_cells) == 1:
            return raw, sp, cells[first:]  # the usual row: one label cell (its span as it is), then the data
        pieces = list(re.finditer(_NUM, m.group("nums"))) if m else []
        if m and all(is_numeric(n.group()) for n in pieces):
            label_cells[-1] = (m.group("label"), Span(sp.line, sp.col, sp.col + len(m.group("label"))))
            extra = [
                (n.group(), Span(sp.line, sp.col + m.start("nums") + n.start(), sp.col + m.start("nums") + n.end()))
                for n in pieces
            ]
            label = " ".join(r for r, _ in label_cells)
            return label, Span(label_cells[0][1].line, label_cells[0][1].col, label_cells[-1][1].end_col), extra + list(cells[first:])
    label = " ".join(raw for raw, _ in label_cells)
    span = None
    if label_cells:
        span = Span(label_cells[0][1].line, label_cells[0][1].col, label_cells[-1][1].end_col)
    return label, span, cells[first:]


@lru_cache(maxsize=4096)
def split_row_label(text: str, line: int) -> tuple[tuple[tuple[str, Span], ...], str, Span | None, tuple[tuple[str, Span], ...]]:
    """`split_row` and `split_label` of a row line at once: (cells, label, label span, data).

    Cached as `split_row` is (by text and line): the readers of tables 二 and 三 and the search
    for table 三's start look at the same lines.  The data is a tuple, as the answer is shared.
    """
    cells = row_cells(text, line)
    label, span, data = split_label(cells)
    return cells, label, span, tuple(data)


def fit(data: Sequence[tuple[str, Span]], width: int, trailing_artifact: bool) -> Sequence[tuple[str, Span]] | None:
    """The data cells of a row fitted to `width` columns, or None if they do not fit.

    PDF text often ends every row with an empty cell; when the table shows that
    habit (`trailing_artifact`), one trailing empty cell is dropped first.  Extra
    trailing empty cells are dropped while the row is too long.  A row that is
    still too long, or too short, cannot be mapped to columns with certainty.
    A row that fits as it is (the usual one) is returned as it is, not copied.
    """
    n = len(data)
    if n == width and not (trailing_artifact and n and not data[-1][0]):
        return data
    cells = list(data)
    if trailing_artifact and cells and not cells[-1][0]:
        cells.pop()
    while len(cells) > width and not cells[-1][0]:
        cells.pop()
    return cells if len(cells) == width else None


def zeros_one_short(data: list[tuple[str, Span]], width: int) -> bool:
    """A row one number short whose numbers are all 0 (`\t\t0\t0\t0\t0\t0\t0` for seven columns).

    Wherever its blank goes, every relation gives the same sums, so nothing can tell where
    the lost cell was (a leading empty cell may be the first column, or the layout cell some
    exports leave after a label): the row is reported (P103), not placed by position.
    """
    filled = [raw for raw, _ in data if raw]
    return len(filled) == width - 1 and all(read_cell(raw, None).value == 0 for raw in filled)


def fit_grid(cells: tuple[tuple[str, Span], ...], width: int) -> list[tuple[str, Span]] | None:
    """The `width` positions of a row read from a real table grid that hold its numbers, when only one
    place fits: numbers and blanks inside, no number before, only blanks after.

    A blank first data cell (自然人 left empty) is then still a blank cell, not lost.  Empty positions
    at the end may be blank cells of the row (总计 left empty) or a column the table has beyond its
    data; when both readings fit, the row is not placed (the caller reports it), never shifted.
    """
    n = len(cells)
    answers = []
    for end in range(n, width, -1):  # the data ends at `end`; positions after it must be empty
        if end < n and cells[end][0]:
            break
        tail, head = cells[end - width:end], cells[:end - width]
        if any(raw and not is_numeric(raw) for raw, _ in tail) or any(is_numeric(raw) for raw, _ in head):
            continue
        if any(raw for raw, _ in tail):
            answers.append(list(tail))
    return answers[0] if len(answers) == 1 else None


def grid_starts(rows: list[RawRow], width: int) -> dict[int, int]:
    """Where a grid table's data columns start, by row width (the number of grid positions).

    Learned from the rows whose numbers span exactly `width` positions (a number in the first and
    in the last data column); a width whose rows disagree has no answer.
    """
    seen: dict[int, set[int]] = {}
    for r in rows:
        at = [i for i, (raw, _) in enumerate(r.cells) if raw and is_numeric(raw)]
        if at and at[-1] - at[0] == width - 1:
            seen.setdefault(len(r.cells), set()).add(at[0])
    return {n: next(iter(s)) for n, s in seen.items() if len(s) == 1}


def fit_place(cells: tuple[tuple[str, Span], ...], start: int, width: int) -> list[tuple[str, Span]] | None:
    """A grid row's cells at the table's data positions `start` … `start + width - 1`.

    None when the row does not keep the table's places: a number before them, text among
    them, or anything after them.
    """
    head, body, tail = cells[:start], cells[start:start + width], cells[start + width:]
    if len(body) != width or any(raw for raw, _ in tail) or any(raw and is_numeric(raw) for raw, _ in head):
        return None
    if any(raw and not is_numeric(raw) and raw not in _VALUE_WORDS for raw, _ in body):
        return None
    return list(body)


def has_trailing_artifact(rows: list[list[tuple[str, Span]]], width: int) -> bool:
    """True when some row has more cells than the table is wide and ends with an empty one."""
    return any(len(d) > width and not d[-1][0] for d in rows)


def make_cells(columns: list[str] | tuple[str, ...], fitted: list[tuple[str, Span]]) -> dict[str, Cell]:
    return read_cells(columns, fitted)


def unread_cells(columns: list[str] | tuple[str, ...]) -> dict[str, Cell]:
    return {col: Cell("", None, "unread") for col in columns}


# --------------------------------------------------------------------------- section 二


@cache
def _block_specs(item: str) -> tuple[tuple[ColumnSpec, ...], tuple[RowSpec, ...]]:
    """Columns and rows a 第二十条 block may have in either format."""
    cols: list[ColumnSpec] = []
    rows: list[RowSpec] = []
    for tid in ("2021", "2019"):
        b = load_template(tid).block(item)
        if b:
            cols += [c for c in b.columns if c.key not in {x.key for x in cols}]
            rows += [r for r in b.rows if r.key not in {x.key for x in rows}]
    return tuple(cols), tuple(rows)


_BLOCKS = ("一", "五", "六", "八", "九")


@cache
def _exact_columns(item: str) -> dict[str, str]:
    """A block's column keys by their label key (the first column wins a shared key)."""
    out: dict[str, str] = {}
    for c in _block_specs(item)[0]:
        out.setdefault(label_key(c.key), c.key)
    return out


def _header_columns(cells: list[tuple[str, Span]], item: str) -> tuple[list[str], bool]:
    """Column keys of a `信息内容 | …` header row, and whether every cell names a column of the block."""
    columns, ok = _header_keys(tuple([raw for raw, _ in cells[1:]]), item)
    return list(columns), ok


@lru_cache(maxsize=1024)
def _header_keys(texts: tuple[str, ...], item: str) -> tuple[tuple[str, ...], bool]:
    """`_header_columns` of a header's cell texts after its first (headers recur from report to report)."""
    col_specs = _block_specs(item)[0]
    exact = _exact_columns(item)
    columns, ok = [], True
    for raw in texts:
        if raw:
            rk_ = label_key(raw)  # an exact header label wins over a longer key sharing the phrase
            ck = exact.get(rk_) or match_phrase(rk_, col_specs)
            columns.append(ck or raw)
            ok = ok and ck is not None
    return tuple(columns), ok


@lru_cache(maxsize=4096)
def _block_row(label: str, item: str) -> str | None:
    """The key of a 第二十条 block's row for a label (`match_phrase` over the block's rows); labels recur."""
    return match_phrase(label_key(label), _block_specs(item)[1])


def fit_header(cells: tuple[tuple[str, Span], ...], places: tuple[int, ...], n: int) -> list[tuple[str, Span]] | None:
    """A grid row's cells at its block header's places (where the header names its columns).

    None unless the row has the header's `n` positions, its label first, nothing but numbers,
    blanks and value words at the places and nothing at all elsewhere."""
    if len(cells) != n or not cells[0][0] or not places:
        return None
    at = set(places)
    if any(raw for i, (raw, _) in enumerate(cells) if i and i not in at):
        return None
    body = [cells[i] for i in places]
    if any(raw and not is_numeric(raw) and raw not in _VALUE_WORDS for raw, _ in body):
        return None
    return body


def read_table2(lines: list[Line], runs: list[Run], grid: bool = False) -> tuple[Table | None, list[int]]:
    """The 第二十条 blocks as one table "二"; also returns the lines it used.

    Rows whose cells must be read from digits are added to `runs` (parse/decode.py).

    `grid`: the reader kept every table position (HTML, DOCX, PDF), so a row's cells are
    under the header's column names even when the first of them is blank.
    """
    table = Table("二")
    used: list[int] = []
    item: str | None = None
    columns: list[str] = []
    places: tuple[int, ...] = ()  # grid: the header's positions of its column names
    n_places = 0  # grid: the header's number of positions
    header_ok = True  # every header cell names a column of the block
    for ln in lines:
        if ln.kind not in ("row", "text"):
            continue
        # a caption has 条 and 项, which label_key keeps: only such lines need their key here
        m = _CAPTION_TEXT.search(ln.text) if "项" in ln.text and "条" in ln.text else None
        if m and len(ln.key) < 40:
            item = m.group(1)
            columns, places = [], ()
            used.append(ln.line)
            if table.span is None:
                table.span = Span(ln.line, 1, len(ln.text.rstrip()) + 1)
            continue
        if item is None:
            continue
        if ln.kind == "row":
            cells, label, span, data = split_row_label(ln.text, ln.line)
        else:
            cells = _text_cells(ln)
        if cells is None:
            if ln.kind == "text" and len(ln.key) > 20:
                item = None  # prose: the block is over
            continue
        first = label_key(cells[0][0]) if cells else ""
        if first.startswith("信息内容"):
            columns, header_ok = _header_columns(cells, item)
            if not header_ok:
                # a header that names another block's columns reopens that block: PDF
                # conversion can move the （一） table below the （八） block (corpus 013)
                other = [b for b in _BLOCKS if b != item and _header_columns(cells, b)[1]]
                if len(other) == 1:
                    item = other[0]
                    columns, header_ok = _header_columns(cells, item)
            places = tuple(i for i, (raw, _) in enumerate(cells) if i and raw) if grid else ()
            n_places = len(cells)
            used.append(ln.line)
            continue
        if ln.kind != "row":
            label, span, data = split_label(cells)
        rk = _block_row(label, item) if label else None
        if rk is None:
            if label and not any(is_numeric(r) for r, _ in data):
                continue
            item = None  # the block ended; the line belongs to something else
            continue
        used.append(ln.line)
        # a header cell that names no column (a header broken over lines): the
        # numbers cannot be given a column kind, so the row is not read (P103)
        width = len(columns) if header_ok else 0
        fitted = fit_header(cells, places, n_places) if places and len(places) == width and ln.kind == "row" else None
        if fitted is None and width:
            fitted = fit(data, width, False)
        row = Row(rk, label, {}, span, ln.line)
        if fitted is not None:
            row.cells = read_cells(columns, fitted)
        else:
            row.cells = unread_cells(columns)
            run = make_run("二", [(rk, c) for c in columns], data, [row]) if width > 1 and rk not in table.rows else None
            if run is not None:
                runs.append(run)
            else:
                row.problems.append(CellCount(len([d for d in data if d[0]])) if width else HeaderUnknown())
        if rk in table.rows:
            table.unmatched.append(row)
            row.problems.append(Duplicate())
        else:
            table.rows[rk] = row
            for c in columns:
                if c not in table.columns:
                    table.columns.append(c)
    return (table if table.span is not None else None), used


_TEXT_ROW = re.compile(r"^(\s*)(\S+?)\s+([+\-]?\d[\d.,]*(?:\s*(?:万元|元|个|件|项))?(?:\s+[+\-]?\d[\d.,]*)*)\s*$")


def _text_cells(ln: Line) -> list[tuple[str, Span]] | None:
    """Cells of a section-二 line written without separators.

    `信息内容本年处理决定数量` (a header run together) and `行政许可 0` (a label and its
    numbers separated by spaces), as PDF-to-markdown conversion leaves them.
    """
    text = ln.text
    if text.lstrip().startswith("信息内容"):
        lead = len(text) - len(text.lstrip())
        return [(text[lead + a : lead + b], Span(ln.line, lead + a + 1, lead + b + 1))
                for a, b in header_pieces(text.lstrip())]
    m = _TEXT_ROW.match(text)
    if not m:
        return None
    cells = [(m.group(2), Span(ln.line, m.start(2) + 1, m.end(2) + 1))]
    for n in re.finditer(r"[+\-]?\d[\d.,]*(?:\s*(?:万元|元|个|件|项))?", m.group(3)):
        a = m.start(3) + n.start()
        cells.append((n.group(), Span(ln.line, a + 1, a + 1 + len(n.group()))))
    return cells


# --------------------------------------------------------------------------- section 三

@cache
def _phrases(which: str) -> re.Pattern[str]:
    """Finds one of the common template's header phrases (`header3`, `header4`) in a line's
    folded text exactly when it is in the line's key (`text.phrase_finder`)."""
    return phrase_finder(getattr(common(), which))


@cache
def _firsts(which: str) -> str:
    """The characters a match of `_phrases(which)` starts with."""
    return phrase_firsts(getattr(common(), which))


def _is_header3(key: str) -> bool:
    return _phrases("header3").search(key) is not None


def _is_header4(key: str) -> bool:
    return _phrases("header4").search(key) is not None and not match_row3(key)


def _has_header3(ln: Line) -> bool:
    """`_is_header3(ln.key)` without computing the key of a line that has no header phrase."""
    return _phrases("header3").search(ln.text) is not None


def _has_header4(ln: Line) -> bool:
    """`_is_header4(ln.key)`, the key computed only for a line that has a header phrase."""
    return _phrases("header4").search(ln.text) is not None and not match_row3(ln.key)


def read_table3(lines: list[Line], skip: set[int], runs: list[Run], grid: bool = False,
                header4: int = 0) -> tuple[Table | None, int]:
    """The section-三 table; returns the table and the index of the line after it.

    Rows whose cells must be read from digits are added to `runs` (parse/decode.py).
    No line before index `header4` is a section-四 header (`header4_from`), which ends the table.

    `grid`: the reader kept every table position (HTML, DOCX, PDF), so a row's last
    7 positions are its 7 cells even when the first of them is blank.
    """
    c = common()
    columns = c.columns3
    width = len(columns)
    start = None
    for i, ln in enumerate(lines):
        if ln.line in skip or ln.kind not in ("row", "text"):
            continue
        if (_has_header3(ln) and (ln.kind == "row" or _header_text(ln.key))) or (
            ln.kind == "row" and _starts_table3(ln)
        ):
            start = i
            break
    if start is None:
        return None, 0
    table = Table("三", columns=list(columns), span=Span(lines[start].line, 1, len(lines[start].text.rstrip()) + 1))
    # the rows with numbers, each with its key (None when its label names no row) and False (its
    # label is not inferred: `_fill_by_order` may infer it); "some row so far has numbers" is
    # `keyed` not empty
    keyed: list[tuple[str | None, RawRow, bool]] = []
    pending: list[str] = []
    blank_rows: list[RawRow] = []  # grid rows with a label and no number: read once the grid's places are known
    trailing = False  # `has_trailing_artifact` of the rows with numbers, worked out as they come
    new = tuple.__new__
    end = len(lines)
    for i in range(start, len(lines)):
        ln = lines[i]
        if ln.line in skip:
            continue
        kind = ln.kind
        if kind == "heading":
            if keyed:
                end = i
                break
            continue
        if kind == "separator" or kind == "page":
            continue
        if keyed and i >= header4 and _has_header4(ln):
            end = i
            break
        if kind == "text":
            if len(ln.key) > 60:  # prose: the table is over
                if keyed:
                    end = i
                    break
                continue
            pending.append(ln.text.strip())
            continue
        cells, label, span, data = split_row_label(ln.text, ln.line)
        # data starts at the first numeric cell or a word such as 无: usually a number
        if not (data and is_numeric(data[0][0])) and not any(is_numeric(raw) for raw, _ in data):
            if _is_header3(label_key(label)) and not match_row3(label):
                continue
            pending.append(label)
            if grid and label:
                blank_rows.append(RawRow(ln.line, label, span, data, [], cells))  # every cell blank?
            continue
        if not trailing and len(data) > width and not data[-1][0]:
            trailing = True
        k = match_row3(label) if label else None
        if pending:
            if k is None:
                k = match_row3(" ".join(pending[-2:]) + label) or match_row3(pending[-1])
            keyed.append((k, new(RawRow, (ln.line, label, span, data, pending, cells)), False))
            pending = []
        else:  # (no label fragments: no new list for them)
            keyed.append((k, new(RawRow, (ln.line, label, span, data, _NO_FRAGMENTS, cells)), False))
        # a label fragment right after a row may finish that row's label
    keyed = _fill_by_order(keyed)
    new_row = object.__new__
    starts = grid_starts([r for _, r, _ in keyed], width) if grid else {}
    for k, r, inferred_label in keyed:
        start = starts.get(len(r.cells)) if starts else None
        fitted = fit_place(r.cells, start, width) if start is not None else None
        if fitted is None:
            data = r.data  # (fit's own first test, inline: the usual row fits as it is)
            fitted = data if len(data) == width and not (trailing and not data[-1][0]) else fit(data, width, trailing)
        if fitted is None and grid:
            fitted = fit_grid(r.cells, width)
        cells = read_cells(columns, fitted) if fitted is not None else unread_cells(columns)
        # Row(k, label, cells, r.label_span, r.line), its fields set on object.__new__(Row) (no
        # Python __init__ call per row; tests/test_parse_shortcuts.py holds it to the dataclass)
        row = new_row(Row)
        row.key = k
        row.label = r.label or " ".join(r.fragments)
        row.cells = cells
        row.span = r.label_span
        row.line = r.line
        row.problems = []
        if inferred_label:
            row.problems.append(LabelInferred())
        if fitted is None:
            run = (make_run("三", [(k, c) for c in columns], r.data, [row])
                   if k is not None and k not in table.rows and not zeros_one_short(r.data, width) else None)
            if run is not None:
                runs.append(run)
            else:
                row.problems.append(CellCount(len([d for d in r.data if d[0]])))
        if k is None:
            table.unmatched.append(row)
        elif k in table.rows:
            row.problems.append(Duplicate())
            table.unmatched.append(row)
        else:
            table.rows[k] = row
    if blank_rows and starts:
        _add_blank_rows(table, blank_rows, starts, width)
    # label fragments that name a row whose numbers never came (a cut-off table)
    for frag in pending:
        k = match_row3(frag)
        if k and k not in table.rows:
            table.rows[k] = Row(k, frag, unread_cells(columns), None, 0, [NoNumbers()])
    return table, end


def _add_blank_rows(table: Table, rows: list[RawRow], starts: dict[int, int], width: int) -> None:
    """Grid rows whose label names a section-三 row and whose cells at the table's data places are all
    blank (a row of zeros left empty): read as blank cells, in their place among the table's rows."""
    added = False
    for r in rows:
        k = match_row3(r.label)
        start = starts.get(len(r.cells))
        if k is None or k in table.rows or start is None:
            continue
        fitted = fit_place(r.cells, start, width)
        if fitted is None or any(raw for raw, _ in fitted):
            continue
        table.rows[k] = Row(k, r.label, read_cells(table.columns, fitted), r.label_span, r.line)
        added = True
    if added:  # rows in the order of their lines, as they were printed
        table.rows = dict(sorted(table.rows.items(), key=lambda kv: kv[1].line))


def _header_text(key: str) -> bool:
    """A prose-free line of header words (not a sentence that mentions 自然人)."""
    if "本列数据的勾稽关系" in key or "申请人情况" in key:
        return True
    return len(key) < 60 and "。" not in key and not any(ch.isdigit() for ch in key)


def _starts_table3(ln: Line) -> bool:
    """A row with numbers whose label is a section-三 row label."""
    _, label, _, data = split_row_label(ln.text, ln.line)
    return bool(data) and match_row3(label) is not None


def _fill_by_order(keyed: list[tuple[str | None, RawRow, bool]]) -> list[tuple[str | None, RawRow, bool]]:
    """Key unlabelled rows by their place between recognised rows.

    When the rows between two recognised rows are exactly as many as the template
    rows missing between them (in either format's row order, and both formats
    agree), they take those keys in order, marked as inferred.
    """
    known = [i for i, (k, _, _) in enumerate(keyed) if k is not None]
    if not known or known[-1] - known[0] == len(known) - 1:
        return keyed  # no unkeyed row between two keyed ones (the usual table)
    out = list(keyed)
    taken = {k for k, _, _ in out if k}
    for a, b in zip(known, known[1:]):
        gap = list(range(a + 1, b))
        if not gap:
            continue
        answers = set()
        for tid in ("2019", "2021"):
            order = load_template(tid).rows3
            if out[a][0] not in order or out[b][0] not in order:
                continue
            lo, hi = order.index(out[a][0]) + 1, order.index(out[b][0])
            missing = tuple(k for k in order[lo:hi] if k not in taken)
            if len(missing) == len(gap):
                answers.add(missing)
        if len(answers) == 1:
            for i, k in zip(gap, answers.pop()):
                out[i] = (k, out[i][1], True)
    return out


# --------------------------------------------------------------------------- section 四


def header4_from(lines: list[Line], norm: str) -> int:
    """The index of the first line that may be a section-四 header (`_has_header4`); `norm` is the
    text the lines were split from."""
    return first_line_with(lines, norm, _phrases("header4"), _firsts("header4"))


def read_table4(lines: list[Line], skip: set[int], runs: list[Run], header4: int = 0) -> Table | None:
    """The section-四 table: a header mentioning 结果维持 etc., then one row of 15 cells.

    A row that is not 15 cells is one run over the three rows (parse/decode.py).
    The search for the header starts at line index `header4` (`header4_from`: no line before it
    can be one).
    """
    c = common()
    header_at = None
    for i in range(header4, len(lines)):
        ln = lines[i]
        if ln.line in skip or ln.kind not in ("row", "text"):
            continue
        if header_at is None:
            if _has_header4(ln):
                header_at = i
            else:
                continue
        if ln.kind != "row":
            continue
        cells = split_row(ln.text, ln.line)
        if not any(is_numeric(raw) for raw, _ in cells):
            continue
        while cells and cells[0][0] and not is_numeric(cells[0][0]):
            cells = cells[1:]  # a row label such as 案件数量, or the header run together with the numbers
        table = Table("四", columns=list(c.columns4), span=Span(lines[header_at].line, 1, 2))
        trailing = len(cells) > 15 and not cells[-1][0]
        fitted = fit(cells, 15, trailing)
        for n, r in enumerate(c.rows4):
            row = Row(r, r, {}, None, ln.line)
            row.cells = make_cells(c.columns4, fitted[n * 5 : n * 5 + 5]) if fitted is not None else unread_cells(c.columns4)
            table.rows[r] = row
        if fitted is None:
            refs = [(r, col) for r in c.rows4 for col in c.columns4]
            run = make_run("四", refs, list(cells), list(table.rows.values()))
            if run is not None:
                runs.append(run)
            else:
                for row in table.rows.values():
                    row.problems.append(CellCount(len([x for x in cells if x[0]])))
        return table
    if header_at is not None:
        return Table("四", columns=list(c.columns4), span=Span(lines[header_at].line, 1, 2), truncated=True)
    return None
