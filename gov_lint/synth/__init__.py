"""Synthetic reports: a generator of consistent reports and writers for every input format.

Used by the property tests, the benchmark and `examples/make_examples.py`.  The
numbers follow the templates in `rules/templates/`; the prose is written for this
project and the agencies are fictional.
"""

from .generate import (
    APPLICANTS,
    BLANK_PATTERNS,
    NARRATIVE_CELLS,
    PROFILES,
    blank_zeros,
    check_consistent,
    generate,
    generate_series,
    mutate,
    mutate_narrative,
)
from .model import Paragraphs, SynthReport
from .writers import (
    WRITERS,
    encode,
    write_docx,
    write_html,
    write_html_word,
    write_markdown,
    write_markdown_converted,
    write_pdf,
    write_run_together,
    write_tab_text,
)

__all__ = [
    "APPLICANTS",
    "BLANK_PATTERNS",
    "NARRATIVE_CELLS",
    "PROFILES",
    "Paragraphs",
    "SynthReport",
    "WRITERS",
    "blank_zeros",
    "check_consistent",
    "encode",
    "generate",
    "generate_series",
    "mutate",
    "mutate_narrative",
    "write_docx",
    "write_html",
    "write_html_word",
    "write_markdown",
    "write_markdown_converted",
    "write_pdf",
    "write_run_together",
    "write_tab_text",
]
