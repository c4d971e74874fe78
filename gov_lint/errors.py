"""The one base class for problems the user must be told about, in Chinese or English."""

from __future__ import annotations


class UserError(Exception):
    """An error with a message for the user in both languages; `text(lang)` picks one."""

    def __init__(self, zh: str, en: str | None = None) -> None:
        super().__init__(zh)
        self.zh = zh
        self.en = en or zh

    def text(self, lang: str = "zh") -> str:
        from .messages import pick

        return pick(lang, self.zh, self.en)
