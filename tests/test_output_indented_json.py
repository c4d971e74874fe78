"""`indented_json` writes what json.dumps(ensure_ascii=False, indent=2) writes, with a margin."""

from __future__ import annotations

import io
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


# --------------------------------------------------------------------------- SARIF results written straight

from gov_lint.messages import Message  # noqa: E402
from gov_lint.model import Finding, Location, Related, Span  # noqa: E402
from gov_lint.output.base import RenderOptions  # noqa: E402
from gov_lint.output.sarif import RESULT_PAD, SarifRenderer  # noqa: E402

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
ints = st.integers(-3, 10**6)
locations = st.one_of(st.none(), st.builds(Location, ints, ints, ints, ints, st.one_of(st.none(), texts)))
paths = st.sampled_from(["a.txt", "reports/甲 乙.txt", "/abs/x%y.txt", "C:\\\\w\\\\z.txt"])
labels = st.one_of(texts, st.just(Message("Y-row", {"row": "三.一"})))
related = st.builds(Related, st.none(), labels, locations, st.one_of(st.none(), paths))
findings = st.builds(
    Finding, code=st.sampled_from(["A100", "A101", "Z999", "Y101"]), name=texts,
    severity=st.sampled_from(["error", "warning", "info"]), message=st.one_of(texts, st.just(Message("P902-worker", {}))),
    span=st.just(Span(1, 1, 2)), location=locations, table=st.one_of(st.none(), texts), row=st.one_of(st.none(), texts),
    column=st.one_of(st.none(), texts), stated=st.one_of(st.none(), texts), expected=st.one_of(st.none(), texts),
    related=st.lists(related, max_size=3), notes=st.lists(st.one_of(texts, st.just(Message("Y-unsure", {}))), max_size=2),
    fingerprint=st.one_of(st.just(""), texts), path=st.one_of(st.just(""), paths),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(findings, min_size=1, max_size=4), paths, st.sampled_from(["zh", "en"]))
def test_sarif_result_text_is_the_indented_result_object(fs, path, lang):
    """The SARIF writer's direct text equals the generic writer's on the result object, byte for byte."""
    fast = SarifRenderer(io.StringIO(), RenderOptions(lang=lang))
    slow = SarifRenderer(io.StringIO(), RenderOptions(lang=lang))
    for f in fs:
        assert fast.result_text(f.path or path, f) == indented_json(slow.result(f.path or path, f), RESULT_PAD)
    assert fast._rules == slow._rules  # unknown codes described in the same order


@settings(max_examples=200, deadline=None)
@given(values)
def test_compact_json_is_json_dumps(value):
    from gov_lint.output._util import compact_json

    assert compact_json(value) == json.dumps(value, ensure_ascii=False)
