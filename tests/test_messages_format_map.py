"""messages.render takes `str.format_map` for templates without `plural:`/`join:` specs:
every catalogue text renders exactly as the catalogue's own formatter renders it."""

from __future__ import annotations

import string
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from gov_lint import messages
from gov_lint.messages import Message, render

VALUES = st.one_of(
    st.integers(-10**6, 10**6),
    st.text(max_size=8),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1000, max_value=1000),
    st.none(),
    st.lists(st.text(max_size=4), max_size=3),
    st.builds(lambda n: _nested(n), st.integers(0, 99)),
)


def _nested(n: int) -> Message:
    """A message argument that is a message (rendered in the same language)."""
    mid = sorted(messages._builtin())[n % 7]
    return Message(mid, {name: n for name in _fields(messages.template(mid, "zh")) | _fields(messages.template(mid, "en"))})


def _fields(text: str) -> set[str]:
    out = set()
    for _, name, spec, _ in string.Formatter().parse(text):
        if name:
            out.add(name.split(".")[0].split("[")[0])
        if spec:
            out |= _fields(spec)
    return out


def _catalogue() -> list[tuple[str, str]]:
    return sorted((mid, lang) for mid in messages._builtin() for lang in messages.LANGS)


def test_most_catalogue_texts_take_the_fast_path():
    kinds = [messages._kind(messages.template(mid, lang)) for mid, lang in _catalogue()]
    assert sum(k > 0 for k in kinds) > 0.9 * len(kinds) and 0 in kinds


@settings(max_examples=300, deadline=None)
@given(which=st.integers(0, 10**9), data=st.data())
def test_fast_path_renders_as_the_formatter(which, data):
    items = _catalogue()
    mid, lang = items[which % len(items)]
    text = messages.template(mid, lang)
    args = {name: data.draw(VALUES, label=name) for name in sorted(_fields(text))}
    shown = {k: messages._show(v, lang) for k, v in args.items()}
    try:
        expected = messages._FORMATTERS[lang].vformat(text, (), shown)
    except (KeyError, IndexError, ValueError, TypeError):
        return  # arguments of the wrong kind for this text (a number format given words): not a case
    assert render(Message(mid, args), lang) == expected


def test_plural_and_join_specs_still_work():
    messages.register("TEST_FMT", "共 {n} 行：{rows:join:；}", "{n} {n:plural:row:rows}: {rows}")
    assert render(Message("TEST_FMT", {"n": 1, "rows": ["一", "二"]}), "zh") == "共 1 行：一；二"
    assert render(Message("TEST_FMT", {"n": 2, "rows": ["a", "b"]}), "en") == "2 rows: a, b"
    messages.register("TEST_FMT", "{rows}", "{rows}")  # bare fields: a list is joined with the language's separator
    assert render(Message("TEST_FMT", {"rows": ["a", "b"]}), "zh") == "a、b"
    assert render(Message("TEST_FMT", {"rows": ("a", "b")}), "en") == "a, b"
    messages.register("TEST_FMT", "[{n:>3}] {x!r}", "[{n:>3}] {x!r}")  # specs and conversions: format_map without lists
    assert messages._kind(messages.template("TEST_FMT", "zh")) == 1
    assert render(Message("TEST_FMT", {"n": 5, "x": "a"}), "zh") == "[  5] 'a'"
    del messages._EXTRA["TEST_FMT"]


def test_remembered_texts_keep_argument_types_apart():
    messages.register("TEST_MEMO", "值 {v}", "value {v}")
    assert [render(Message("TEST_MEMO", {"v": v}), "zh") for v in (1, True, "1", 1, True)] == [
        "值 1", "值 True", "值 1", "值 1", "值 True"]
    assert render(Message("TEST_MEMO", {"v": 1}), "en") == "value 1"
    assert [render(Message("TEST_MEMO", {"v": v}), "zh") for v in (["a", "b"], "a、b", ["a", "b"], ("a", "b"))] == [
        "值 a、b", "值 a、b", "值 a、b", "值 a、b"]
    messages.register("TEST_MEMO", "新 {v}", "new {v}")  # a new registration: no text from the old one
    assert render(Message("TEST_MEMO", {"v": 1}), "zh") == "新 1"
    del messages._EXTRA["TEST_MEMO"]
