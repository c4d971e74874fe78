"""Finding messages as data: a message id and its arguments, rendered late.

A rule never formats text.  It builds `Message("A101", {"column": "自然人", ...})`;
the text comes from one zh/en catalogue when an output renders the finding, so a
saved JSON report can be rendered again in the other language, and a finding's
fingerprint never depends on its wording.

The catalogue is `rules/messages.toml` (one table per message id, keys `zh` and
`en`), plus the `message`/`message_en` of every relation in `rules/relations/`
(id = the relation's code), plus what plugins register.  Templates use
`str.format` fields.  An argument may itself be a Message (rendered in the same
language), a list (joined with the language's list separator) or a plain value.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any, Mapping

from .templates import packs_dir
from .tomlfile import tomllib

LANGS = ("zh", "en")
LIST_SEPARATOR = {"zh": "、", "en": ", "}


class CatalogueError(ValueError):
    """A message id with no text, or a template whose fields do not match."""


@dataclass(frozen=True, slots=True)
class Message:
    """What a finding (or one of its notes) says, as data."""

    id: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str = "zh") -> str:
        return render(self, lang)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "args": {k: _arg_to_json(v) for k, v in self.args.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Message":
        return cls(str(data["id"]), {k: _arg_from_json(v) for k, v in dict(data.get("args") or {}).items()})


def format_number(v: Any) -> str:
    """The one number formatter: integers without a point or exponent (Decimal('1E+2') is
    "100"), decimals with the places they were given ("1.50" stays "1.50"), others as str()."""
    if isinstance(v, Decimal):
        return str(int(v)) if v == v.to_integral_value() else format(v, "f")
    return str(v)


def _arg_to_json(v: Any) -> Any:
    if isinstance(v, Message):
        return {"$msg": v.to_json()}
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else format_number(v)
    if isinstance(v, (list, tuple)):
        return [_arg_to_json(x) for x in v]
    return v


def _arg_from_json(v: Any) -> Any:
    if isinstance(v, dict) and "$msg" in v:
        return Message.from_json(v["$msg"])
    if isinstance(v, list):
        return [_arg_from_json(x) for x in v]
    return v


_EXTRA: dict[str, dict[str, str]] = {}


def register(msg_id: str, zh: str, en: str | None = None) -> None:
    """Add a message to the catalogue (relation files and plugins)."""
    _EXTRA[msg_id] = {"zh": zh, "en": en or zh}
    _RENDERED.clear()  # texts rendered from an earlier registration


@cache
def _builtin() -> dict[str, dict[str, str]]:
    path = packs_dir() / "messages.toml"
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    out = {k: {"zh": v["zh"], "en": v.get("en", v["zh"])} for k, v in data.items()}
    out.update(_relation_messages())
    return out


def _relation_messages() -> dict[str, dict[str, str]]:
    """The shipped relations' messages (id = code), so a saved finding renders in any
    language even when no relation has been loaded in this process."""
    from .relations import relation_specs  # late: the relations import the expression compiler

    out = {}
    for spec in relation_specs():
        d = spec.data
        out[d["code"]] = {"zh": d["message"], "en": d.get("message_en") or d["message"]}
    return out


def template(msg_id: str, lang: str) -> str | None:
    """The catalogue text of a message id in a language (None when unknown)."""
    entry = _EXTRA.get(msg_id) or _builtin().get(msg_id)
    if entry is None:
        return None
    return entry.get(lang) or entry["zh"]


def pick(lang: str, zh: str, en: str) -> str:
    """The one zh/en picker, for texts that are not findings (CLI and output labels): English for "en"."""
    return en if lang == "en" else zh


def known(msg_id: str) -> bool:
    """True when the catalogue has a text for `msg_id`."""
    return msg_id in _EXTRA or msg_id in _builtin()


def shipped(msg_id: str) -> bool:
    """True when `msg_id` is in gov-lint's own catalogue (rules/messages.toml), which every process
    has; a plugin's messages (`register`) are known only where the plugin was loaded."""
    return msg_id in _builtin()


def text(value: "Message | str", lang: str = "zh") -> str:
    """The text of a Message in `lang`; plain text (rules still on the bridge) as it is."""
    return render(value, lang) if isinstance(value, Message) else str(value)


class _Formatter(string.Formatter):
    """str.format plus two specs: `{n:plural:row:rows}` shows "row" or "rows" (English plurals);
    `{items:join:；}` joins a list with another separator than the language's own."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith("plural:"):
            one, _, many = format_spec[len("plural:"):].partition(":")
            return one if str(value) in ("1", "-1") else many
        if isinstance(value, list):
            sep = format_spec[len("join:"):] if format_spec.startswith("join:") else LIST_SEPARATOR.get(self.lang, ", ")
            return sep.join(value)
        return super().format_field(value, format_spec)


_FORMATTERS = {lang: _Formatter(lang) for lang in LANGS}


def _show(v: Any, lang: str) -> Any:
    if type(v) is str or type(v) is int:  # (most arguments: as the checks below would give them)
        return v
    if isinstance(v, Message):
        return render(v, lang)
    if isinstance(v, (list, tuple)):
        return [str(_show(x, lang)) for x in v]
    if isinstance(v, Decimal):
        return format_number(v)
    if v is None:
        return ""
    if isinstance(v, (int, float)):
        return v
    return str(v)


@lru_cache(maxsize=4096)
def _kind(text: str) -> int:
    """How `str.format_map` can render `text` as `_Formatter` does (it is much faster):

    2: every field is a bare name (no spec, conversion, attribute or index): lists may
       be joined beforehand, as `_Formatter.format_field` joins them;
    1: no `plural:`/`join:` spec: when no argument is a list;
    0: only `_Formatter` renders it (also a malformed text: the formatter reports it).
    """
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return 0
    if all(name.isidentifier() and not spec and not conv for name, spec, conv in fields):
        return 2
    return 0 if any(spec and spec.startswith(("plural:", "join:")) for _, spec, _ in fields) else 1


_RENDERED: dict[tuple, str] = {}  # `_memo_key` → text
_RENDERED_MAX = 20_000


def _memo_key(message: Message, lang: str) -> tuple | None:
    """The key a rendered text is remembered under: id, language and the arguments, when they are
    all str, int or lists of str (exact types: True is not 1, 1.0 is not 1); else None."""
    key: list[Any] = [message.id, lang]
    for k, v in message.args.items():
        t = type(v)
        if t is str or t is int:
            key += (k, v)
        elif t is list and all(type(x) is str for x in v):
            key += (k, tuple(v))
        else:
            return None
    return tuple(key)


def render(message: Message, lang: str = "zh") -> str:
    """The text of a message in `lang` ("zh" or "en")."""
    args = message.args
    key = _memo_key(message, lang)
    if key is not None:
        done = _RENDERED.get(key)
        if done is not None:
            return done
    text = template(message.id, lang)
    if text is None:
        raise CatalogueError(f"message {message.id!r} is not in the catalogue")
    shown = {k: _show(v, lang) for k, v in args.items()}
    try:
        kind = _kind(text)
        if kind == 2:
            sep = LIST_SEPARATOR.get(lang, ", ")
            done = text.format_map({k: sep.join(v) if type(v) is list else v for k, v in shown.items()})
        elif kind == 1 and not any(type(v) is list for v in shown.values()):
            done = text.format_map(shown)
        else:
            done = _FORMATTERS.get(lang, _FORMATTERS["zh"]).vformat(text, (), shown)
        if key is not None:
            if len(_RENDERED) >= _RENDERED_MAX:
                _RENDERED.clear()
            _RENDERED[key] = done
        return done
    except (KeyError, IndexError, ValueError) as exc:
        raise CatalogueError(f"message {message.id!r} ({lang}): {exc!r} not given") from None
