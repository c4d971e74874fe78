"""Fuzzing every reader with Hypothesis (issue 13 part 3).

Inputs: random bytes under every suffix, mutations of the examples (bytes flipped,
cut, repeated, inserted), long digit runs and deep nesting.  Invariants, for every
input:

* no exception escapes `check_bytes`;
* every location lies inside the file: for text-like inputs the line exists in the
  decoded text and the column is on that line (HTML/DOCX/PDF locations name a
  table cell or a page line of the read document: line ≥ 1 and inside that document);
* the step budget is never exceeded: either the check finished within `max_steps`
  or it stopped with exactly one P006 finding;
* a result has a status, and one that was not checked says why.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gov_lint.budget import Limits, last_budget
from gov_lint.check import CheckOptions, check_bytes
from gov_lint.readers import read_bytes
from gov_lint.readers.text import decode

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SAMPLES = sorted(p for p in (EXAMPLES / "2021").iterdir() if p.suffix in (".txt", ".md", ".html", ".docx", ".pdf"))
SAMPLE_BYTES = {p.name: p.read_bytes() for p in SAMPLES}
SUFFIXES = [".txt", ".md", ".html", ".docx", ".pdf", ".doc", ""]
LIMITS = Limits(max_steps=400_000, max_seconds=4.0)
OPTIONS = CheckOptions(limits=LIMITS)
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_invariants(name: str, data: bytes) -> None:
    result = check_bytes(name, data, OPTIONS)  # must not raise
    budget = last_budget()
    codes = [f.code for f in result.findings]
    assert budget is not None
    assert budget.used <= LIMITS.max_steps or codes == ["P006"]
    assert result.status in ("checked", "skipped", "error")
    if result.status != "checked":
        assert result.reason and result.findings
    if "P006" in codes:
        assert codes == ["P006"]
        return
    doc = None
    if result.status == "checked" or result.findings and result.findings[0].location is not None:
        try:
            doc = read_bytes(name, data)
        except Exception:  # noqa: BLE001 - the check said why already
            doc = None
    for f in result.findings:
        loc = f.location
        if loc is None:
            continue
        assert loc.line >= 1 and loc.column >= 1
        if doc is not None and doc.source_map is None:  # text and markdown: the file's own lines
            lines = decode(data)[0].replace("\r\n", "\n").replace("\r", "\n").split("\n")
            assert loc.line <= len(lines), (f.code, loc, len(lines))
            assert loc.column <= len(lines[loc.line - 1]) + 1, (f.code, loc)


# --------------------------------------------------------------------------- strategies


def mutate(data: bytes, ops: list[tuple[int, int, int, bytes]]) -> bytes:
    """Apply (kind, where, length, bytes) edits: flip, cut, repeat, insert."""
    buf = bytearray(data)
    for kind, where, length, extra in ops:
        if not buf:
            buf.extend(extra)
            continue
        i = where % len(buf)
        if kind == 0:  # flip a byte
            buf[i] ^= 0xFF
        elif kind == 1:  # cut a stretch
            del buf[i : i + length]
        elif kind == 2:  # repeat a stretch
            buf[i:i] = buf[i : i + length]
        else:  # insert bytes
            buf[i:i] = extra
    return bytes(buf)


edits = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 1 << 20), st.integers(1, 400), st.binary(max_size=64)),
    min_size=1, max_size=6,
)

digit_runs = st.builds(lambda n, d: d * n, st.integers(20, 3000), st.sampled_from(["1", "7", "0", "12", "９"]))

nesting = st.builds(
    lambda tag, depth, inner: (f"<{tag}>" * depth + inner + f"</{tag}>" * depth),
    st.sampled_from(["div", "table", "td", "span", "p", "ul", "b"]),
    st.integers(1, 3000),
    st.sampled_from(["一、总体情况", "<tr><td>1</td></tr>", "", "7" * 200]),
)


# --------------------------------------------------------------------------- properties


@FUZZ
@given(st.binary(max_size=4096), st.sampled_from(SUFFIXES))
def test_random_bytes_through_every_reader(data, suffix):
    check_invariants("fuzz" + suffix, data)


@FUZZ
@given(st.sampled_from(sorted(SAMPLE_BYTES)), edits)
def test_mutated_examples(name, ops):
    check_invariants(name, mutate(SAMPLE_BYTES[name], ops))


@FUZZ
@given(st.sampled_from([n for n in sorted(SAMPLE_BYTES) if n.endswith((".txt", ".md"))]), digit_runs, st.integers(0, 1 << 20))
def test_long_digit_runs_inside_reports(name, run, where):
    text = SAMPLE_BYTES[name].decode("utf-8")
    i = where % (len(text) + 1)
    check_invariants(name, (text[:i] + run + text[i:]).encode("utf-8"))


@FUZZ
@given(nesting, st.sampled_from([".html", ".txt", ".md"]))
def test_deep_nesting(markup, suffix):
    check_invariants("deep" + suffix, ("<html><body>" + markup + "</body></html>").encode("utf-8"))


@FUZZ
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=3000),
       st.sampled_from(["utf-8", "gb18030", "utf-16", "utf-16-le"]))
def test_random_text_in_any_encoding(text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    check_invariants("text.txt", data)
