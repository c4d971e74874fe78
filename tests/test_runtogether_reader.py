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
