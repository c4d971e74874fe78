"""`--format full` written to a file: the plain strings are what rich writes, byte for byte."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from gov_lint.model import FileResult, Finding, Location, Related, Span
from gov_lint.output.base import RenderOptions, Summary
from gov_lint.output.full import FullRenderer

# CJK, ASCII, tabs, line breaks and the control characters rich strips
texts = st.text(alphabet=st.sampled_from(list("ab 1（）税镇\t\n\r\x07\x0b[]:—")), max_size=20)


def _render(result: FileResult, lang: str, plain: bool) -> str:
    out = io.StringIO()
    r = FullRenderer(out, RenderOptions(lang=lang))
    r.plain = plain
    r.file(result)
    r.finish(Summary())
    return out.getvalue()


@settings(max_examples=120, deadline=None)
@given(texts, texts, texts, texts, st.sampled_from(["zh", "en"]), st.booleans())
def test_plain_writing_is_what_rich_writes(message, note, line, label, lang, numbered):
    f = Finding(
        code="A101", name="carry-over-balance", severity="error", message=message,
        location=Location(3, 2, 3, 4, context=label or None), span=Span(3, 2, 4),
        related=[Related(span=Span(5, 1, 2), label=label), Related(span=None, label=label, path="b.txt",
                                                                  location=Location(1, 1, 1, 2))],
        notes=[note],
    )
    result = FileResult(path="报告 a.txt", status="checked", findings=[f], source={3: line, 5: line + "x"},
                        numbered=numbered)
    assert _render(result, lang, plain=True) == _render(result, lang, plain=False)


def test_a_file_gets_no_styles_and_the_lines_in_order():
    f = Finding(code="A101", name="n", severity="error", message="总计不符", location=Location(2, 3, 2, 5),
                span=Span(2, 3, 5), notes=["差额 1"])
    result = FileResult(path="a.txt", status="checked", findings=[f], source={2: "一、\t12"})
    assert _render(result, "zh", plain=True).split("\n")[:8] == [
        "error[A101]: 总计不符",
        "  --> a.txt:2:3",
        "  |",
        "2 | 一、    12",
        "  |     ^^^^^",
        "   = 差额 1",
        "   = 查看说明：gov-lint explain A101",
        "",
    ]
