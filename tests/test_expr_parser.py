"""The relation language's own parser (`rules/expr.py`) gives the tree Lark gives for rules/expr.lark,
and refuses what Lark refuses: on the shipped relations, on expressions generated from the grammar,
and on strings of the language's pieces put together at random."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark, Token, Tree
from lark.exceptions import LarkError

from gov_lint.relations import relation_specs
from gov_lint.rules.crossyear import cross_specs
from gov_lint.rules.expr import ExprError, Node, Tok, compile_relation, parse_expression

GRAMMAR = (Path(__file__).resolve().parents[1] / "gov_lint" / "rules" / "expr.lark").read_text(encoding="utf-8")
LARK = Lark(GRAMMAR, parser="lalr", lexer="contextual")


def _plain(t) -> tuple:
    """A tree of either parser as nested tuples: (rule, children…) and (terminal, text)."""
    if isinstance(t, (Tree, Node)):
        return (str(t.data), *(_plain(c) for c in t.children))
    assert isinstance(t, (Token, Tok))
    return (t.type, str(t))


def _lark(text: str) -> tuple | None:
    try:
        return _plain(LARK.parse(text))
    except LarkError:
        return None


def _ours(text: str) -> tuple | None:
    try:
        return _plain(parse_expression(text))
    except ExprError:
        return None


def test_shipped_relations_parse_to_larks_trees():
    texts = [s.expr for s in relation_specs()] + [s.expr for s in cross_specs()]
    assert len(texts) >= 10
    for text in texts:
        assert _ours(text) == _lark(text) is not None, text


def test_a_tree_by_hand():
    assert _ours("前.三[r][c] >= sum(三[k][c] for k in 三.items(r)) - 2.5 for c in [a, 总计]") == (
        "start",
        ("comparison",
         ("sum", ("signed_term", ("cell", ("PREV", "前."), ("TABLE", "三"), ("var", ("VAR", "r")), ("var", ("VAR", "c"))))),
         ("CMP", ">="),
         ("sum",
          ("signed_term", ("aggregate",
                           ("sum", ("signed_term", ("cell", ("TABLE", "三"), ("var", ("VAR", "k")), ("var", ("VAR", "c"))))),
                           ("loop", ("VAR", "k"), ("indexed_set", ("TABLE", "三"), ("NAME", "items"), ("var", ("VAR", "r")))))),
          ("SIGN", "-"),
          ("signed_term", ("number", ("NUMBER", "2.5"))))),
        ("loop", ("VAR", "c"), ("literal_set", ("NAME", "a"), ("NAME", "总计"))),
    )


NAMES = st.sampled_from(["一", "三.七", "三.三.1", "自然人", "总计", "columns", "items", "leaves", "1", "cX", "二.五.x"])
EXPRS = from_lark(LARK, explicit={
    "VAR": st.sampled_from(["c", "r", "k", "g", "for", "in", "sum"]),
    "NAME": NAMES,
    "NUMBER": st.sampled_from(["0", "1", "2.5", "10", "٣"]),
    "WS": st.sampled_from([" ", "\n", "  \t"]),
})


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(EXPRS)
def test_expressions_from_the_grammar(text: str):
    """(The generator leaves out optional spaces, so some of these do not lex: refused by both.)"""
    assert _ours(text) == _lark(text)


PIECES = ["三", "二", "四", "前.", "[", "]", "(", ")", "c", "r", "一", "三.七", "总计", "sum", "for", "in", "fork", "summary",
          ".", ",", "columns", "items", "==", ">=", "<=", "=", "+", "-", "1", "2.5", "1x", " ", " ", "\u3000", "x_1", "A"]


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
@example("三[一][c] ==三[二][c] forc in三.columns")  # "for" needs no space after it, as in Lark
@example("三[for][c] == 1 for c in [for, in]")
@example("三[c1x][c] == 1 for c in 三.columns")
@example("三[一][c] == summary")
@example("0==1")
@example("")
def test_pieces_put_together_at_random(text: str):
    assert _ours(text) == _lark(text)


def _written(rng: random.Random) -> str:
    """An expression of the language, spaces or none between its tokens, and sometimes damaged (a slice
    cut out, doubled, or a piece put in): what someone editing a relation file might write."""
    def ws() -> str:
        return rng.choice(["", " ", " ", "  ", "\n", "\t"])

    def key() -> str:
        return rng.choice(["c", "r", "k", "一", "三.七", "总计", "1", "cX", "for", "sum", "in", "x_1", "二.五.x"])

    def term(depth: int) -> str:
        kind = rng.randrange(4 if depth < 3 else 2)
        if kind == 0:
            return (rng.choice(["", "前."]) + ws() + rng.choice("二三四") + ws() + "[" + ws() + key() + ws() + "]" + ws()
                    + "[" + ws() + key() + ws() + "]")
        if kind == 1:
            return rng.choice(["0", "1", "2.5", "10", "٣", "1.", "01"])
        if kind == 2:
            loops = "".join(ws() + loop() for _ in range(rng.randint(1, 2)))
            return "sum" + ws() + "(" + ws() + total(depth + 1) + loops + ws() + ")"
        return "(" + ws() + total(depth + 1) + ws() + ")"

    def total(depth: int) -> str:
        return (ws() + rng.choice("+-") + ws()).join(term(depth) for _ in range(rng.randint(1, 3)))

    def a_set() -> str:
        kind, table = rng.randrange(3), rng.choice("二三四")
        if kind == 0:
            return table + ws() + "." + ws() + rng.choice(["columns", "leaves", "一", "项目"])
        if kind == 1:
            return table + ws() + "." + ws() + "items" + ws() + "(" + ws() + key() + ws() + ")"
        return "[" + ws() + (ws() + "," + ws()).join(key() for _ in range(rng.randint(1, 3))) + ws() + "]"

    def loop() -> str:
        return "for" + ws() + rng.choice(["c", "r", "g", "in", "for"]) + ws() + "in" + ws() + a_set()

    text = (ws() + total(0) + ws() + rng.choice(["==", ">=", "<="]) + ws() + total(0)
            + "".join(ws() + loop() for _ in range(rng.randint(0, 2))) + ws())
    if rng.random() < 0.5:
        a, b = sorted(rng.randrange(len(text) + 1) for _ in range(2))
        kind = rng.randrange(3)
        if kind == 0:
            text = text[:a] + text[b:]
        elif kind == 1:
            text = text[:a] + text[a:b] * 2 + text[b:]
        else:
            text = text[:a] + rng.choice(["[", "]", "(", ")", "三", "for", ",", ".", " ", "sum", "前."]) + text[a:]
    return text


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.randoms(use_true_random=False))
def test_written_and_damaged_expressions(rng: random.Random):
    text = _written(rng)
    assert _ours(text) == _lark(text)


def test_refusals_are_expr_errors_that_name_the_text():
    with pytest.raises(ExprError, match=re.escape("cannot parse relation '三[一][c] =='")):
        compile_relation("三[一][c] ==")
