"""`indented_json` writes what json.dumps(ensure_ascii=False, indent=2) writes, with a margin."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from gov_lint.output.sarif import indented_json

leaves = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8),
)
values = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=4), inner, max_size=4),
        st.dictionaries(st.integers(0, 9), inner, max_size=3),  # keys json turns into strings
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(values, st.sampled_from(["", "    ", "        "]))
def test_indented_json_is_json_dumps_with_a_margin(value, pad):
    expected = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)
    assert indented_json(value, pad) == expected


def test_nested_result_lines():
    assert indented_json({"a": [1, {"b": "税"}], "c": {}, "d": []}, "  ") == (
        '{\n    "a": [\n      1,\n      {\n        "b": "税"\n      }\n    ],\n    "c": {},\n    "d": []\n  }'
    )
