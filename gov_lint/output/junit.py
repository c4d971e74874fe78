"""`--format junit`: JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure…).

    <testsuites name="gov-lint" tests="4" failures="1" errors="1" skipped="1">
      <testsuite name="gov-lint" tests="4" failures="1" errors="1" skipped="1">
        <testcase name="reports/a.txt" classname="gov-lint" file="reports/a.txt"/>
        <testcase name="reports/b.txt" classname="gov-lint" file="reports/b.txt">
          <failure type="A101 Y301" message="2 个错误，0 个警告：A101 Y301">reports/b.txt:12:5: 错误[A101] …

    reports/b.txt:13:13: 错误[Y301] …</failure>
          <system-out>infos, one per line</system-out>
        </testcase>
        <testcase …><skipped message="reason"/></testcase>
        <testcase …><error type="unreadable" message="reason">reason</error></testcase>
      </testsuite>
    </testsuites>

One test case per file, as pytest writes one per test: a file is a test that
passes, fails, errs or is skipped, and the counts on the suite are numbers of
test cases (`failures` ≤ `tests`, as Jenkins, GitLab and the Ant schema read
them).  A file with errors or warnings has one `<failure>`: its message counts
them and names their codes (type), its text gives each finding with its place
and notes, a blank line between two.  A file that could not be read has an
`<error>` and a skipped one `<skipped>` instead, their text the findings (or the
reason).  Infos go to `<system-out>`.  Cross-year findings are part of their
file's result.  (A second result for a path already seen, as in a JSON saved by
an older version that sent cross-year findings separately, forms a test case
"<path>（跨年度检查）".)  The counts are only known at the end, so test cases are
written to a temporary file (in memory while small, on disk past 1 MiB) and
copied out after the header in `finish`.
"""

from __future__ import annotations

import shutil
import tempfile
from xml.sax.saxutils import escape, quoteattr

from ..messages import Message, render
from ..model import FileResult
from . import _util
from .base import Renderer, RenderOptions, Summary


def _attr(text: object) -> str:
    return quoteattr(_util.xml_clean(str(text)), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _text(text: str) -> str:
    return escape(_util.xml_clean(text))


class JUnitRenderer(Renderer):
    def __init__(self, out, options: RenderOptions) -> None:
        super().__init__(_util.utf8_stream(out), options)
        self._cases = tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8", newline="")
        self.tests = self.failures = self.errors = self.skipped = 0

    def file(self, result: FileResult) -> None:
        path = _util.repo_path(result.path)
        name = path
        if result.extra:  # the runner's second result for a file: cross-year findings
            name = path + _util.t(self.options, "（跨年度检查）", " (cross-year checks)")
        self.tests += 1
        lang = self.options.lang
        details: list[str] = []
        infos: list[str] = []
        codes: list[str] = []
        counts = {"error": 0, "warning": 0}
        for f in result.findings:
            where = _util.location_text(_util.repo_path(f.path or result.path), f.location)
            if f.severity == "info":
                infos.append(f"{where}: {f.code} {f.name}: {f.text(lang)}")
                continue
            counts[f.severity] = counts.get(f.severity, 0) + 1
            if f.code not in codes:
                codes.append(f.code)
            label = _util.severity_label(self.options, f.severity)
            details.append("\n".join([f"{where}: {label}[{f.code}] {f.text(lang)}", *f.note_texts(lang)]))
        detail = "\n\n".join(details)
        body: list[str] = []
        if result.status == "error":
            self.errors += 1
            reason = _util.reason(result, self.options)
            body.append(f"      <error type=\"unreadable\" message={_attr(reason)}>{_text(detail or reason)}</error>")
        elif result.status == "skipped":
            self.skipped += 1
            reason = _util.reason(result, self.options)
            body.append(f"      <skipped message={_attr(reason)}>{_text(detail)}</skipped>" if detail
                        else f"      <skipped message={_attr(reason)}/>")
        elif details:
            self.failures += 1
            message = render(Message("junit.failed", {"errors": counts["error"], "warnings": counts["warning"],
                                                       "codes": " ".join(codes)}), lang)
            body.append(f"      <failure type={_attr(' '.join(codes))} message={_attr(message)}>{_text(detail)}</failure>")
        if infos:
            body.append(f"      <system-out>{_text(chr(10).join(infos))}</system-out>")
        head = f"    <testcase name={_attr(name)} classname=\"gov-lint\" file={_attr(path)}"
        if body:
            self._cases.write(head + ">\n" + "\n".join(body) + "\n    </testcase>\n")
        else:
            self._cases.write(head + "/>\n")

    def finish(self, summary: Summary) -> None:
        counts = (
            f'tests="{self.tests}" failures="{self.failures}" errors="{self.errors}" skipped="{self.skipped}"'
        )
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(f'<testsuites name="gov-lint" {counts}>\n')
        self.out.write(f'  <testsuite name="gov-lint" {counts}>\n')
        self._cases.seek(0)
        shutil.copyfileobj(self._cases, self.out)
        self._cases.close()
        self.out.write("  </testsuite>\n</testsuites>\n")
        self.out.flush()
