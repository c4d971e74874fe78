"""Parse and evaluate the relation expressions of rules/relations/*.toml.

`compile_relation(text)` gives a `Relation`; `Relation.instances(report, sets)`
yields one `Instance` per binding of the loop variables, with both sides as lists
of signed terms (a cell reference or a constant).  The engine decides what a
failing instance means (engine.py); this module only knows the language.

The language is `rules/expr.lark`.  It is read here by a small recursive-descent
parser (`_Parser`) that gives the tree Lark's LALR parser with the contextual lexer
gives for that grammar (`Node`, `Tok`; tests/test_expr_parser.py holds the two to the
same trees and the same refusals): building the Lark parser cost about 20 ms of every
command's start-up, for about a dozen short expressions.  One pass over the text, no
backtracking beyond one regular expression per token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Iterator, Union


@dataclass(frozen=True, slots=True)
class Ref:
    """A resolved cell reference with its sign in the sum."""

    sign: int
    table: str
    row: str
    column: str
    prev: bool = False  # `前.`: the cell of the previous year's report (cross-year relations)


@dataclass(frozen=True, slots=True)
class Instance:
    """One binding of a relation: lhs CMP rhs, each a list of Refs and a constant."""

    lhs: tuple[Ref, ...]
    lhs_const: Decimal
    cmp: str
    rhs: tuple[Ref, ...]
    rhs_const: Decimal
    binding: tuple[tuple[str, str], ...]


class ExprError(ValueError):
    """A relation expression that does not parse or refers to unknown names."""


class Tok(str):
    """A token of the expression: its text, and its terminal's name in expr.lark (`type`)."""

    __slots__ = ("type",)

    def __new__(cls, type_: str, value: str) -> "Tok":
        tok = super().__new__(cls, value)
        tok.type = type_
        return tok

    def __getnewargs__(self) -> tuple[str, str]:  # (pickled as Lark's tokens are)
        return self.type, str(self)


@dataclass(frozen=True, slots=True)
class Node:
    """A rule of expr.lark matched: its name (`data`, the alias where the grammar gives one) and
    its children, anonymous tokens ("for", "[", …) left out, as Lark builds its trees."""

    data: str
    children: tuple[Union["Node", Tok], ...]


# expr.lark's terminals.  WS is common.WS; \s in NAME is wider than WS, as in the grammar.
_NAME_CHAR = r"[^\s\[\](),+\-=<>]"
_WS = re.compile(r"[ \t\f\r\n]+")
_VAR = re.compile(rf"[a-z][a-z0-9_]*(?!{_NAME_CHAR})")
_NAME = re.compile(rf"{_NAME_CHAR}+")
_NUMBER = re.compile(rf"\d+(\.\d+)?(?!{_NAME_CHAR})")
_CMP = ("==", ">=", "<=")
_TABLES = ("二", "三", "四")
_PREV = "前."


class _Parser:
    """expr.lark by recursive descent; at each point only the terminals the grammar accepts
    there are tried, in the order Lark's contextual lexer tries them (VAR before NAME)."""

    __slots__ = ("text", "pos")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, wanted: str) -> ExprError:
        return ExprError(f"expected {wanted} at column {self.pos + 1}")

    def skip(self) -> None:
        m = _WS.match(self.text, self.pos)
        if m:
            self.pos = m.end()

    def literal(self, *options: str) -> str | None:
        """The first of `options` the text goes on with (after spaces), consumed; else None."""
        self.skip()
        for o in options:
            if self.text.startswith(o, self.pos):
                self.pos += len(o)
                return o
        return None

    def expect(self, option: str) -> None:
        if self.literal(option) is None:
            raise self.fail(repr(option))

    def pattern(self, regex: re.Pattern) -> str | None:
        self.skip()
        m = regex.match(self.text, self.pos)
        if m is None:
            return None
        self.pos = m.end()
        return m.group()

    def start(self) -> Node:
        children: list[Node | Tok] = [self.comparison()]
        while self.literal("for") is not None:
            children.append(self.loop())
        self.skip()
        if self.pos != len(self.text):
            raise self.fail("'for' or the end")
        return Node("start", tuple(children))

    def comparison(self) -> Node:
        lhs = self.sum()
        cmp = self.literal(*_CMP)
        if cmp is None:
            raise self.fail("a comparison")
        return Node("comparison", (lhs, Tok("CMP", cmp), self.sum()))

    def loop(self) -> Node:
        """After "for": VAR "in" set."""
        var = self.pattern(_VAR)
        if var is None:
            raise self.fail("a loop variable")
        self.expect("in")
        return Node("loop", (Tok("VAR", var), self.set()))

    def sum(self) -> Node:
        children: list[Node | Tok] = [Node("signed_term", (self.term(),))]
        while (sign := self.literal("+", "-")) is not None:
            children.append(Tok("SIGN", sign))
            children.append(Node("signed_term", (self.term(),)))
        return Node("sum", tuple(children))

    def term(self) -> Node:
        prev = self.literal(_PREV)
        if prev is not None:
            return self.cell(Tok("PREV", prev))
        table = self.literal(*_TABLES)
        if table is not None:
            return self.cell(None, Tok("TABLE", table))
        number = self.pattern(_NUMBER)
        if number is not None:
            return Node("number", (Tok("NUMBER", number),))
        if self.literal("sum") is not None:
            self.expect("(")
            children: list[Node | Tok] = [self.sum()]
            self.expect("for")
            children.append(self.loop())
            while self.literal("for") is not None:
                children.append(self.loop())
            self.expect(")")
            return Node("aggregate", tuple(children))
        if self.literal("(") is not None:
            inner = self.sum()
            self.expect(")")
            return inner
        raise self.fail("a cell, a number, sum( or (")

    def cell(self, prev: Tok | None, table: Tok | None = None) -> Node:
        if table is None:
            found = self.literal(*_TABLES)
            if found is None:
                raise self.fail("a table")
            table = Tok("TABLE", found)
        children: list[Node | Tok] = [prev] if prev is not None else []
        children.append(table)
        for _ in range(2):
            self.expect("[")
            children.append(self.key())
            self.expect("]")
        return Node("cell", tuple(children))

    def key(self) -> Node:
        var = self.pattern(_VAR)
        if var is not None:
            return Node("var", (Tok("VAR", var),))
        name = self.pattern(_NAME)
        if name is None:
            raise self.fail("a row key, a column or a loop variable")
        return Node("literal", (Tok("NAME", name),))

    def set(self) -> Node:
        table = self.literal(*_TABLES)
        if table is not None:
            self.expect(".")
            name = self.pattern(_NAME)
            if name is None:
                raise self.fail("a set name")
            if self.literal("(") is not None:
                key = self.key()
                self.expect(")")
                return Node("indexed_set", (Tok("TABLE", table), Tok("NAME", name), key))
            return Node("named_set", (Tok("TABLE", table), Tok("NAME", name)))
        self.expect("[")
        names: list[Node | Tok] = []
        while True:
            name = self.pattern(_NAME)
            if name is None:
                raise self.fail("a name")
            names.append(Tok("NAME", name))
            if self.literal(",") is None:
                break
        self.expect("]")
        return Node("literal_set", tuple(names))


def parse_expression(text: str) -> Node:
    """The tree of one expression (ExprError when it is not in the language)."""
    return _Parser(text).start()


@dataclass(frozen=True)
class Relation:
    text: str
    tree: Node

    def instances(self, sets: dict[str, dict[str, tuple[str, ...]]]) -> Iterator[Instance]:
        """Every binding of the outer loops, with the aggregates expanded."""
        comparison, *loops = self.tree.children
        for env in _bindings(loops, sets, {}):
            lhs_tree, cmp_tok, rhs_tree = comparison.children
            lhs, lc = _expand(lhs_tree, env, sets, 1)
            rhs, rc = _expand(rhs_tree, env, sets, 1)
            yield Instance(tuple(lhs), lc, str(cmp_tok), tuple(rhs), rc, tuple(env.items()))


@cache
def compile_relation(text: str) -> Relation:
    """The relation of an expression (parsed once per process and text)."""
    try:
        tree = parse_expression(text)
    except ExprError as exc:
        raise ExprError(f"cannot parse relation {text!r}: {exc}") from None
    return Relation(text, tree)


def _bindings(loops: list[Node], sets, env: dict[str, str]) -> Iterator[dict[str, str]]:
    if not loops:
        yield dict(env)
        return
    var_tok, set_tree = loops[0].children
    for value in _resolve_set(set_tree, sets, env):
        env[str(var_tok)] = value
        yield from _bindings(loops[1:], sets, env)
    env.pop(str(var_tok), None)


def _resolve_set(tree: Node, sets, env: dict[str, str]) -> tuple[str, ...]:
    if tree.data in ("named_set", "indexed_set"):
        table, name = str(tree.children[0]), str(tree.children[1])
        if tree.data == "indexed_set":
            name = f"{name}({_key(tree.children[2], env)})"
        try:
            return sets[table][name]
        except KeyError:
            raise ExprError(f"unknown set {table}.{name}") from None
    return tuple(str(t) for t in tree.children)


def _expand(tree: Node, env: dict[str, str], sets, sign: int) -> tuple[list[Ref], Decimal]:
    """Flatten a sum into signed cell refs and a constant."""
    refs: list[Ref] = []
    const = Decimal(0)
    current = sign
    for child in tree.children:
        if isinstance(child, Tok):  # SIGN between terms
            current = sign if child == "+" else -sign
            continue
        term = child.children[0]  # signed_term → term
        r, c = _term(term, env, sets, current)
        refs += r
        const += c
    return refs, const


def _term(term, env, sets, sign: int) -> tuple[list[Ref], Decimal]:
    if term.data == "cell":
        *prev, table, row, col = term.children
        return [Ref(sign, str(table), _key(row, env), _key(col, env), bool(prev))], Decimal(0)
    if term.data == "number":
        return [], sign * Decimal(str(term.children[0]))
    if term.data == "aggregate":
        body, *loops = term.children
        refs: list[Ref] = []
        const = Decimal(0)
        for inner in _bindings(loops, sets, dict(env)):
            r, c = _expand(body, inner, sets, sign)
            refs += r
            const += c
        return refs, const
    if term.data == "sum":
        return _expand(term, env, sets, sign)
    raise ExprError(f"unexpected term {term.data}")  # pragma: no cover


def _key(tree: Node, env: dict[str, str]) -> str:
    name = str(tree.children[0])
    if tree.data == "var":
        if name not in env:
            raise ExprError(f"unbound variable {name}")
        return env[name]
    return name
