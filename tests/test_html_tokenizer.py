"""The HTML reader's fast tokenizer (readers/html_tree.py) builds the tree html.parser builds.

For any page the fast tokenizer accepts, the tree (tags, attributes, text pieces and
their positions, the page metadata) equals the one html.parser's events build; what
it does not accept goes to html.parser whole.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gov_lint.readers.html_tree import Node, NotPlain, StdlibTokenizer, TreeBuilder, build_tree, tokenize_fast

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _dump(node):
    if not isinstance(node, Node):
        return ("text", node.data, node.line, node.col, node.literal)
    return (node.tag, tuple(sorted(node.attrs.items())), node.line, node.col, node.hidden, node.nested,
            tuple(_dump(c) for c in node.children))


def _stdlib(src: str) -> TreeBuilder:
    builder = TreeBuilder()
    parser = StdlibTokenizer(builder)
    parser.feed(src)
    parser.close()
    return builder


def _fast(src: str) -> TreeBuilder | None:
    builder = TreeBuilder()
    try:
        tokenize_fast(src, builder)
    except NotPlain:
        return None
    return builder


def _same(src: str) -> bool:
    """True when the fast tokenizer read the page (and then built html.parser's tree); False when it declined."""
    fast = _fast(src)
    if fast is None:
        return False
    slow = _stdlib(src)
    assert _dump(fast.root) == _dump(slow.root)
    assert fast.meta == slow.meta
    return True


FRAGMENTS = [
    "<p>", "</p>", "<td>", "</td>", "<tr>", "</tr>", "<table>", "</table>", "<table border=1>", "<br>", "<br/>",
    "<td rowspan=\"2\" colspan='3'>", "<td style='display:none'>", "<TD Width=4>", "<div>", "</div>", "<ol start=3>",
    "<li>", "<span>", "</span>", "<o:p>", "</o:p>", "<!-- c -->", "<!--[if gte mso 9]><xml>x</xml><![endif]-->",
    "<![if !supportLists]>", "<![endif]>", "<!DOCTYPE html>", "<?xml version='1.0'?>", "<script>var a = '<td>';</script>",
    "<style>td{}</style>", "<title>标题</title>", "<meta name=\"PubDate\" content=\"2024-01-20\">", "<head>", "<body>",
    "&nbsp;", "&amp;", "&#21512;", "&#x4e00;", "&lt", "& ", "a < b", "<", "&", "一、本年新收", "12", " ", "\n", "\t",
    "<a href=\"x>y\">", "<p class=x/>", "<b <i>", "</ td>", "</>", "<![CDATA[x]]>", "<td colspan=\"2\" >", "<img src=a />",
    "<publishtime>2024年1月2日</publishtime>", "<input value=\"&amp;\">", "<p title='a\nb'>", "<scripts>",
    "<td title='x>", "y'>", "<td class=\"q>", "\">", "<td style='width:3px'>",  # quotes across a '>'
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_the_fast_tokenizer_builds_html_parsers_tree(parts):
    _same("".join(parts))


def test_the_examples_are_read_by_the_fast_tokenizer():
    pages = sorted(EXAMPLES.glob("*/*.html"))
    assert pages
    for page in pages:
        assert _same(page.read_text(encoding="utf-8").replace("\r\n", "\n")), page


@pytest.mark.parametrize(
    "src",
    ["<p>unterminated <!-- comment", "<td>a</td><", "x &#; y", "<p>tail &amp", "<![CDATA[x]]>",
     "<script>never closed"],
)
def test_markup_it_does_not_know_goes_to_html_parser(src):
    assert _fast(src) is None
    assert _dump(build_tree(src).root) == _dump(_stdlib(src).root)
