"""Parse and evaluate the relation expressions of rules/relations/*.toml.

`compile_relation(text)` gives a `Relation`; `Relation.instances(report, sets)`
yields one `Instance` per binding of the loop variables, with both sides as lists
of signed terms (a cell reference or a constant).  The engine decides what a
failing instance means (engine.py); this module only knows the language.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Iterator

from lark import Lark, Token, Tree


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


@cache
def _parser() -> Lark:
    grammar = (Path(__file__).parent / "expr.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer="contextual", propagate_positions=True)


@dataclass
class Relation:
    text: str
    tree: Tree

    def instances(self, sets: dict[str, dict[str, tuple[str, ...]]]) -> Iterator[Instance]:
        """Every binding of the outer loops, with the aggregates expanded."""
        comparison, *loops = self.tree.children
        for env in _bindings(loops, sets, {}):
            lhs_tree, cmp_tok, rhs_tree = comparison.children
            lhs, lc = _expand(lhs_tree, env, sets, 1)
            rhs, rc = _expand(rhs_tree, env, sets, 1)
            yield Instance(tuple(lhs), lc, str(cmp_tok), tuple(rhs), rc, tuple(env.items()))


def compile_relation(text: str) -> Relation:
    try:
        tree = _parser().parse(text)
    except Exception as exc:  # lark raises several error types
        raise ExprError(f"cannot parse relation {text!r}: {exc}") from None
    return Relation(text, tree)


def _bindings(loops: list[Tree], sets, env: dict[str, str]) -> Iterator[dict[str, str]]:
    if not loops:
        yield dict(env)
        return
    var_tok, set_tree = loops[0].children
    for value in _resolve_set(set_tree, sets, env):
        env[str(var_tok)] = value
        yield from _bindings(loops[1:], sets, env)
    env.pop(str(var_tok), None)


def _resolve_set(tree: Tree, sets, env: dict[str, str]) -> tuple[str, ...]:
    if tree.data in ("named_set", "indexed_set"):
        table, name = str(tree.children[0]), str(tree.children[1])
        if tree.data == "indexed_set":
            name = f"{name}({_key(tree.children[2], env)})"
        try:
            return sets[table][name]
        except KeyError:
            raise ExprError(f"unknown set {table}.{name}") from None
    return tuple(str(t) for t in tree.children)


def _expand(tree: Tree, env: dict[str, str], sets, sign: int) -> tuple[list[Ref], Decimal]:
    """Flatten a sum into signed cell refs and a constant."""
    refs: list[Ref] = []
    const = Decimal(0)
    current = sign
    for child in tree.children:
        if isinstance(child, Token):  # SIGN between terms
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


def _key(tree: Tree, env: dict[str, str]) -> str:
    name = str(tree.children[0])
    if tree.data == "var":
        if name not in env:
            raise ExprError(f"unbound variable {name}")
        return env[name]
    return name
