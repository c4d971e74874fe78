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

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
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


def _arg_to_json(v: Any) -> Any:
    if isinstance(v, Message):
        return {"$msg": v.to_json()}
    if isinstance(v, Decimal):
        return format(v.normalize(), "f") if v != v.to_integral() else int(v)
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


@cache
def _builtin() -> dict[str, dict[str, str]]:
    path = packs_dir() / "messages.toml"
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return {k: {"zh": v["zh"], "en": v.get("en", v["zh"])} for k, v in data.items()}


def template(msg_id: str, lang: str) -> str | None:
    """The catalogue text of a message id in a language (None when unknown)."""
    entry = _EXTRA.get(msg_id) or _builtin().get(msg_id)
    if entry is None:
        return None
    return entry.get(lang) or entry["zh"]


def _show(v: Any, lang: str) -> str:
    if isinstance(v, Message):
        return render(v, lang)
    if isinstance(v, (list, tuple)):
        return LIST_SEPARATOR.get(lang, ", ").join(_show(x, lang) for x in v)
    if isinstance(v, Decimal):
        return format(v.normalize(), "f") if v != v.to_integral() else str(int(v))
    if v is None:
        return ""
    return str(v)


def render(message: Message, lang: str = "zh") -> str:
    """The text of a message in `lang` ("zh" or "en")."""
    text = template(message.id, lang)
    if text is None:
        raise CatalogueError(f"message {message.id!r} is not in the catalogue")
    shown = {k: _show(v, lang) for k, v in message.args.items()}
    try:
        return text.format(**shown)
    except (KeyError, IndexError, ValueError) as exc:
        raise CatalogueError(f"message {message.id!r} ({lang}): {exc!r} not given") from None
