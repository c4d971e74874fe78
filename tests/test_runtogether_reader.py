"""The run-together reader's shortcuts (issue 11 speed) keep its answers.

* `unrun` looks for a segment's trailing numbers only when the segment's last character can
  end them: the regex never matches a segment that ends otherwise.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gov_lint.readers import runtogether as rt

# the characters the tail pattern cares about, and a few it does not
_ALPHABET = "0123456789 .,+-万元个件项条（）申请人数量合计:：。、\t"


@settings(max_examples=400, deadline=None)
@given(st.text(_ALPHABET, min_size=1, max_size=30))
def test_the_tail_pattern_only_matches_segments_ending_where_numbers_can_end(segment):
    segment = segment.rstrip() or "0"
    if rt._DIGITS_TAIL.search(segment) is not None:
        assert segment[-1].isdigit() or segment[-1] in rt._TAIL_ENDS


def test_cut_lines_keep_their_folded_text_and_source_columns():
    """`unrun` builds the folded text alongside the text (no second fold): it must be the fold
    of the text, line for line, and every piece must map back to where its text stands."""
    import random

    from gov_lint.readers import read_bytes
    from gov_lint.synth import encode, generate
    from gov_lint.text import fold

    rng = random.Random(11)
    for tid in ("2019", "2021"):
        data, suffix = encode("run_together", generate(tid, random.Random(rng.getrandbits(64))))
        doc = read_bytes(f"r{suffix}", data)
        assert doc.meta.get("layout") == "run-together"
        assert doc.norm == fold(doc.text)
        assert doc.lines == doc.text.split("\n") and doc.norm_lines == doc.norm.split("\n")
        original = data.decode("utf-8").split("\n")
        pieces = 0
        for n, line in enumerate(doc.lines, start=1):
            col = 1
            for piece in line.split("\t"):
                orig_line, orig_col, _context = doc.source_map.locate(n, col)
                assert original[orig_line - 1][orig_col - 1 : orig_col - 1 + len(piece)] == piece
                col += len(piece) + 1
                pieces += 1
        assert pieces > 50  # the long line was cut into rows and their cells


@settings(max_examples=300, deadline=None)
@given(st.text("ab 一二\u3000\t", max_size=40), st.data())
def test_collapsed_positions_map_back_to_the_line(line, data):
    """Labels are found in the table region with its spaces removed; each found character maps
    back to its own place in the line."""
    lo = data.draw(st.integers(0, len(line)))
    hi = data.draw(st.integers(lo, len(line)))
    flat = rt._collapse(line, lo, hi)
    kept = [i for i in range(lo, hi) if not line[i].isspace()]
    assert flat[0] == "".join(line[i] for i in kept)
    assert [rt._in_line(flat, k) for k in range(len(kept))] == kept
