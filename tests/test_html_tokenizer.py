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


# --------------------------------------------------------------------------- plainly written tables

_CELL_ATTRS = ["", ' colspan="2"', ' rowspan="2"', ' rowspan="3" colspan="2"', ' style="display:none"',
               ' width="3"', ' style="width:40px"', ' COLSPAN="2"', ' class="x\ny"']
_CELL_TEXTS = ["", "12", "一、本年新收", " 3 ", "a b", "\n7\n", "1\t2", "\u3000", "x>y", "  "]
_GAPS = ["", "\n", " ", "\n  ", "字"]


@st.composite
def _plain_tables(draw):
    rows = []
    for _ in range(draw(st.integers(0, 5))):
        tr_attrs = draw(st.sampled_from(["", ' style="height:1px"', ' style="display:none"']))
        cells = "".join(
            draw(st.sampled_from(_GAPS)) + f"<{tag}{attrs}>{text}</{tag}>"
            for tag, attrs, text in draw(st.lists(
                st.tuples(st.sampled_from(["td", "th"]), st.sampled_from(_CELL_ATTRS), st.sampled_from(_CELL_TEXTS)),
                max_size=5))
        )
        rows.append(f"{draw(st.sampled_from(_GAPS))}<tr{tr_attrs}>{cells}{draw(st.sampled_from(_GAPS))}</tr>")
    before = draw(st.sampled_from(["", "<p>前</p>\n", "<div>", "<p>"]))
    return f'{before}<table border="1">{"".join(rows)}{draw(st.sampled_from(_GAPS))}</table>\n<p>后</p>'


def _render(builder: TreeBuilder):
    from gov_lint.readers.html_layout import Renderer

    r = Renderer()
    r.block(builder.root)
    r.flush()
    return r.lines, r.smap._cols, r.smap._pieces


def _expand_all(node) -> None:
    for child in node.children:  # asking for a SimpleTable's children builds them
        if isinstance(child, Node):
            _expand_all(child)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_plain_tables())
def test_a_plain_table_reads_as_its_nodes_would(src):
    """A SimpleTable's grid read from its source text equals the grid of the nodes it stands for."""
    from gov_lint.readers.html_tree import SimpleTable

    fast = _fast(src)
    assert fast is not None
    tables = [c for c in fast.root.children if isinstance(c, SimpleTable)] + [
        c for n in fast.root.children if isinstance(n, Node) for c in n.children if isinstance(c, SimpleTable)]
    assert tables  # the table was read the plain way
    lazy = _render(fast)
    expanded = _fast(src)
    _expand_all(expanded.root)
    assert _render(expanded) == lazy
    _same(src)  # and its nodes are the ones html.parser's events build


def test_a_table_that_is_not_plain_is_read_by_the_loop():
    from gov_lint.readers.html_tree import SimpleTable

    for src in ["<table><tr><td>a<b>b</b></td></tr></table>", "<table><tr><td>1</tr></table>",
                "<table><tr><td colspan=2>1</td></tr></table>", "<table><tbody><tr><td>1</td></tr></tbody></table>",
                "<table><tr><td>a &amp; b</td></tr></table>"]:
        tree = _fast(src)
        assert tree is not None and not any(isinstance(c, SimpleTable) for c in tree.root.children), src
        assert _same(src)


_ROWS = "<tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table>"


@pytest.mark.parametrize("src", [
    f"<!-- <table>{_ROWS} -->", f"<!-- x --><table>{_ROWS}", f"<script>var t = '<table>{_ROWS}';</script><p>x</p>",
    f"<table/>{_ROWS}", f'<a title="<table>">{_ROWS}', f"<table-x>{_ROWS}", f"<title><table>{_ROWS}</title>",
    f"<publishtime><table>{_ROWS}</publishtime>", "<div>" * 130 + f"<table>{_ROWS}", f"<table>{_ROWS}<table>{_ROWS}",
    f'<p>a<table class="x">{_ROWS}b &amp; c', f"<TABLE>{_ROWS}", f"<table>\n<tr>\n<td>1</td></tr>\n</table><style>x</style>",
])
def test_a_table_left_whole_in_the_pieces_reads_as_the_page_split_whole(src):
    """The page's pieces with plain tables left whole build the tree html.parser builds (or go to html.parser)."""
    tree = build_tree(src)
    assert _dump(tree.root) == _dump(_stdlib(src).root)
    assert tree.meta == _stdlib(src).meta


def test_a_start_tag_read_once_per_page_only_when_its_quotes_close_inside_it():
    from gov_lint.readers.html_tree import _ends_alone

    assert _ends_alone("<span style='font-size:9.0pt'>") and _ends_alone('<p class=MsoNormal align="center">')
    assert _ends_alone("<br/>") and _ends_alone("<td>")
    assert not _ends_alone("<td title='x>") and not _ends_alone('<td class="q>')
    page = "<p><span style='a:b'>1</span><span style='a:b'>2</span><td title='x>3</td><td title='x>y'>"
    assert _dump(build_tree(page).root) == _dump(_stdlib(page).root)
