"""The report grammar's block tokens classify every line as one token per line would.

report.lark makes a table (consecutive row lines) and a paragraph block one token
each, with negative lookaheads that restate the heading, separator, page and row
patterns.  The reference here is the grammar as it was before: every non-blank line
one token, the first terminal by priority that matches the whole line deciding its
kind.  Documents are built from lines that sit on the boundaries between the kinds
(indented and tabbed headings, pipes, dashes, page markers, blank and space-only
lines), and `scan` must give exactly the reference's lines: kind, number and text.
"""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lark import Lark, Transformer

from gov_lint.model import Document
from gov_lint.parse.lines import Line, parser, scan

REFERENCE = r"""
start: preamble section*
preamble: _NL? _item*
section: HEADING _NL _item*
_item: (ROW | SEPARATOR | PAGE | TEXT) _NL
HEADING.4: /[ \t]*(#{1,6}[ \t]*)?(\*\*)?[ \t]*[一二三四五六][、.．][^\t|\n]{1,38}(?=\n)/
SEPARATOR.3: /[ \t|:]*-{3,}[ \t|:\-]*(?=\n)/
PAGE.3: /[ \t]*[—–\-]{1,2}[ \t]*\d{1,3}[ \t]*[—–\-]{1,2}[ \t]*(?=\n)/
ROW.2: /[^\n]*\t[^\n]*(?=\n)/ | /[ \t]*\|[^\n]*\|[ \t]*(?=\n)/
TEXT.1: /[^\n]+(?=\n)/
_NL: /\n+/
"""


class _OneLinePerToken(Transformer):
    def preamble(self, children):
        return [Line(t.type.lower(), t.line, t.value) for t in children]

    section = preamble

    def start(self, children):
        return [ln for part in children for ln in part]


@cache
def reference() -> Lark:
    return Lark(REFERENCE, parser="lalr", lexer="contextual", transformer=_OneLinePerToken())


def reference_lines(text: str) -> list[Line]:
    return reference().parse(text if text.endswith("\n") else text + "\n")


PIECES = ["一、总体情况", "三、收到和处理政府信息公开申请情况", "六、其他", "## 二、主动公开", "**四、复议**", "#三、x",
          "七、不是标题", "一、" + "长" * 40, "一.", "二．情况", "|", "||", "| a | b |", "|---|---|", "---", "--", "-----x",
          ":---:", "— 5 —", "- 12 -", "–3–", "-1234-", "\t", " ", "  ", "\t\t", "**", "#", "##", "###### ", "行政许可",
          "0", "12", "自然人", "（七）总计", "a|b", "本年新收", "。", "x"]
LINES = st.lists(st.sampled_from(PIECES), min_size=0, max_size=5).map("".join)
DOCS = st.lists(LINES, min_size=0, max_size=25).map("\n".join)


def _same(text: str) -> None:
    doc = Document("t.txt", text)
    assert scan(doc) == reference_lines(doc.norm)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(DOCS)
@example("\t一、总体情况\n1\t2\n\n\n3\t4\n一、总体情况\n")
@example("text\n\n  \n| a |\n|---|\n| b |\n— 5 —\nmore\n\tx\n")
@example("\n\n\n")
@example(" " * 300 + "x\n" + "-" * 300 + "x\n" + "\t" * 50 + "y\n ## ** 五、z\n")
def test_block_tokens_classify_lines_as_one_token_per_line(text: str):
    _same(text)


def test_a_table_and_a_paragraph_are_one_token_each():
    """The point of the block tokens: tokens per report do not grow with its lines."""
    text = "前言一\n前言二\n\n一、总体情况\n正文\n更多正文\n名称\t1\t2\n名称\t3\t4\n|---|\n| a | 5 |\n"
    tokens = [t.type for t in parser().lex(text) if t.type != "_NL"]
    assert tokens == ["TEXTS", "HEADED_TEXTS", "ROWS", "SEPARATOR", "ROWS"]  # a heading and its paragraph: one
    assert [t.type for t in parser().lex("一、总体情况\n\n名称\t1\n二、x\n") if t.type != "_NL"] == \
        ["HEADING", "ROWS", "HEADING"]  # a heading before anything but text stays a token of its own
    assert [(ln.kind, ln.line) for ln in scan(Document("t.txt", text))] == [
        ("text", 1), ("text", 2), ("heading", 4), ("text", 5), ("text", 6), ("row", 7), ("row", 8),
        ("separator", 9), ("row", 10)]


@cache
def lark_lexer() -> Lark:
    """report.lark with Lark's own contextual lexer: what `parse.lines._LineLexer` must equal."""
    from pathlib import Path

    import gov_lint.parse.lines as lines_mod

    grammar = (Path(lines_mod.__file__).parent / "report.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer="contextual")


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(DOCS)
@example("\n\n一、总体情况\n正文\n名称\t1\n")
def test_the_one_loop_lexer_gives_larks_tokens(text: str):
    """The parser's lexer gives the tokens (type, text, line) of Lark's contextual lexer."""
    from gov_lint.parse.lines import _LineLexer

    text = Document("t.txt", text).norm
    text = text if text.endswith("\n") else text + "\n"
    ours = [(t.type, str(t), t.line) for t in _LineLexer(parser().lexer_conf).lex(text)]
    state = lark_lexer().parse_interactive(text)  # the contextual lexer, in the parser's states
    lark = [(t.type, str(t), t.line) for t in state.iter_parse()]
    assert ours == lark
