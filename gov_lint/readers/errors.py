"""The one exception readers raise."""

from __future__ import annotations


class ReadError(Exception):
    """A file that cannot be read at all; `zh` and `en` say why."""

    def __init__(self, zh: str, en: str, code: str = "P001") -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.code = code

    def reason(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh
