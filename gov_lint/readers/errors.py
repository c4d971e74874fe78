"""The one exception readers raise."""

from __future__ import annotations

from ..errors import UserError


class ReadError(UserError):
    """A file that cannot be read at all; `zh` and `en` say why, `code` is its P rule."""

    def __init__(self, zh: str, en: str, code: str = "P001") -> None:
        super().__init__(zh, en)
        self.code = code

    def reason(self, lang: str = "zh") -> str:
        return self.text(lang)
