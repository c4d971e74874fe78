"""Y105 compares rows by a digest of their cells: two rows must get the same digest exactly when
their texts "column=value;…" are the same (blank and — count as 0; a number without a value is
empty; a Decimal is its text), and never depend on which objects hold equal values."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings, strategies as st

from gov_lint.model import Cell, Span
from gov_lint.rules.crossyear import _row_digest

COLUMNS = ["总计", "自然人", "商业企业", "其他", "a=b", "{x}"]


def _text(cells: dict[str, Cell]) -> str | None:
    """The row as the text the digest stands for (None: a cell was not read)."""
    items = []
    for col, c in cells.items():
        if c.kind == "number":
            items.append(f"{col}=" if c.value is None else f"{col}={c.value}")
        elif c.kind in ("blank", "dash"):
            items.append(f"{col}=0")
        else:
            return None
    return ";".join(items)


values = st.one_of(
    st.integers(-3, 300),
    st.integers(10**12, 10**20),
    st.sampled_from([Decimal("5"), Decimal("5.0"), Decimal("-0"), Decimal("0"), Decimal("1E+2"), Decimal("0.10"),
                     Decimal("12.5"), Decimal("-7")]),
    st.none(),
)
cell = st.one_of(
    values.map(lambda v: ("number", v)),
    st.sampled_from([("blank", None), ("dash", None), ("text", None), ("unread", None)]),
)
row = st.lists(st.tuples(st.sampled_from(COLUMNS), cell), min_size=0, max_size=6)


def _cells(items: list[tuple[str, tuple[str, object]]]) -> dict[str, Cell]:
    out: dict[str, Cell] = {}
    for i, (col, (kind, value)) in enumerate(items):
        out[col] = Cell(str(value), value, kind, Span(3, i * 4 + 1, i * 4 + 3))  # type: ignore[arg-type]
    return out


@settings(max_examples=400, deadline=None)
@given(row, row)
def test_same_digest_exactly_when_same_text(a: list, b: list) -> None:
    ca, cb = _cells(a), _cells(b)
    da, db = _row_digest(ca), _row_digest(cb)
    ta, tb = _text(ca) if ca else None, _text(cb) if cb else None
    assert (da is None) == (ta is None) and (db is None) == (tb is None)
    if da is not None and db is not None:
        assert (da[0] == db[0]) == (ta == tb)


def test_equal_values_in_other_objects_give_the_same_digest() -> None:
    big = 10**15 + 7
    shared = _cells([("总计", ("number", big)), ("其他", ("number", big))])
    apart = _cells([("总计", ("number", int(str(big)))), ("其他", ("number", int(str(big))))])
    assert shared["总计"].value is shared["其他"].value and apart["总计"].value is not apart["其他"].value
    assert _row_digest(shared)[0] == _row_digest(apart)[0]


def test_parts_and_first_place() -> None:
    cells = _cells([("总计", ("number", 30)), ("自然人", ("number", -12)), ("商业企业", ("blank", None)),
                    ("其他", ("number", Decimal("18")))])
    cells["总计"].span = None
    _, parts, first = _row_digest(cells)
    assert parts == [12, Decimal("18")]  # 总计 and zeros aside, as their sizes
    assert first == Span(3, 5, 7)  # the first cell with a place
