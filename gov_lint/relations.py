"""The compiled relations of `rules/relations/*.toml`: table arithmetic stated once.

Every part of gov-lint that needs a sum takes it from here: the relation rules
(`rules/engine.py`), error localisation, and the parser when it decodes
run-together digits.  A relation is written once, in the relation language
(`rules/expr.lark`), and expanded per template into `Constraint`s: one linear
(in)equality over table cells per binding of its loop variables.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from .rules.expr import Instance, Ref, compile_relation
from .templates import common, load_template, packs_dir
from .tomlfile import tomllib

TEMPLATE_IDS = ("2019", "2021")


@dataclass(frozen=True)
class RelationSpec:
    """One `[[relation]]` of a relation file, with where it was written."""

    code: str
    expr: str
    templates: tuple[str, ...]
    order: int
    severity: str
    basis: str
    origin: str  # relations/<file>.toml
    data: dict[str, Any]  # the whole table (messages, docs)


@dataclass(frozen=True, slots=True)
class Constraint:
    """One binding of a relation: lhs CMP rhs over cells, with the relation's code."""

    code: str
    order: int
    instance: Instance

    @property
    def refs(self) -> tuple[Ref, ...]:
        return self.instance.lhs + self.instance.rhs

    def holds(self, value: Any) -> bool | None:
        """Whether it holds for `value(ref) -> Decimal | int | None`; None when a cell is unknown."""
        inst = self.instance
        lhs = inst.lhs_const
        for ref in inst.lhs:
            v = value(ref)
            if v is None:
                return None
            lhs += ref.sign * v
        rhs = inst.rhs_const
        for ref in inst.rhs:
            v = value(ref)
            if v is None:
                return None
            rhs += ref.sign * v
        if inst.cmp == "==":
            return lhs == rhs
        return lhs >= rhs if inst.cmp == ">=" else lhs <= rhs


def relation_folder() -> Path:
    return packs_dir() / "relations"


@cache
def relation_specs(folder: str | None = None) -> tuple[RelationSpec, ...]:
    """Every relation of the relation files, in file order."""
    base = Path(folder) if folder else relation_folder()
    out: list[RelationSpec] = []
    for path in sorted(base.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        for spec in data.get("relation", []):
            out.append(
                RelationSpec(
                    code=spec["code"],
                    expr=spec["expr"],
                    templates=tuple(spec.get("templates", TEMPLATE_IDS)),
                    order=spec.get("order", 50),
                    severity=spec.get("severity", "error"),
                    basis=spec.get("basis", ""),
                    origin=f"relations/{path.name}",
                    data=spec,
                )
            )
    return tuple(out)


@cache
def template_sets(template_id: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """The named sets a relation can loop over, for one template."""
    t = load_template(template_id)
    c = common()
    groups = {g: tuple(k for k in t.rows3 if k.startswith(g + ".")) for g in ("三.三", "三.四", "三.五", "三.六")}
    three = {
        "columns": c.columns3,
        "applicant_columns": c.columns3[:-1],
        "rows": t.rows3 + t.subtotals3,
        "leaves": t.leaves3,
        "subtotals": t.subtotals3,
        **{f"items({g})": rows for g, rows in groups.items()},
    }
    two: dict[str, tuple[str, ...]] = {"rows": t.rows["二"]}
    for b in t.blocks:
        two[b.item] = tuple(r.key for r in b.rows)
    two["项目"] = tuple(r.key for b in t.blocks if b.item in ("五", "六", "八") for r in b.rows)
    four = {"rows": c.rows4, "columns": c.columns4, "parts": c.columns4[:-1]}
    return {"二": two, "三": three, "四": four}


@cache
def expand(expr: str, template_id: str) -> tuple[Instance, ...]:
    """A relation expression expanded for one template (computed once per process)."""
    return tuple(compile_relation(expr).instances(template_sets(template_id)))


@cache
def constraints(template_id: str, tables: frozenset[str] | None = None) -> tuple[Constraint, ...]:
    """Every equality/inequality the template's relations impose, optionally only those
    whose cells all lie in `tables`, in run order."""
    out: list[Constraint] = []
    for spec in sorted(relation_specs(), key=lambda s: (s.order, s.code)):
        if template_id not in spec.templates:
            continue
        for inst in expand(spec.expr, template_id):
            if tables is not None and any(r.table not in tables for r in inst.lhs + inst.rhs):
                continue
            out.append(Constraint(spec.code, spec.order, inst))
    return tuple(out)


def as_decimal(v: int | Decimal | None) -> Decimal | None:
    return None if v is None else Decimal(v)
