"""The catalogue of hostile inputs (issue 13 part 2), shared by tests/test_hostile.py and
scripts/hostile.py.

Each `Case` builds its input in a temporary folder (generated, never stored: a
30 MB text, a zip bomb, a thousand-page PDF), says what gov-lint should do with
it, and checks the result.  `run_case` checks the input the way the CLI does
(a file: `check_path`; a folder: the CLI's folder walk, then `check_path` per
file) under `LIMITS`, and never lets an exception escape: a crash is reported as
such, so the script can count them.
"""

from __future__ import annotations

import io
import os
import random
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from gov_lint.budget import Limits, _wall_backstop
from gov_lint.check import CheckOptions, check_path
from gov_lint.model import FileResult

ROOT = Path(__file__).resolve().parents[1]
BASE = (ROOT / "tests" / "rule_cases" / "base" / "2021.txt").read_text(encoding="utf-8")
EXAMPLES = ROOT / "examples"
LIMITS = Limits(max_seconds=2.0)  # the catalogue's per-file time limit (the default is 20 s)


@dataclass
class Outcome:
    results: list[FileResult] = field(default_factory=list)
    crash: str | None = None  # an exception that escaped gov-lint
    seconds: float = 0.0

    @property
    def codes(self) -> list[str]:
        return [f.code for r in self.results for f in r.findings]

    @property
    def timed_out(self) -> bool:
        """Ran past its time limit by more than the watchdog's slack: a hang the budget missed."""
        return self.seconds > (_wall_backstop(LIMITS.max_seconds) + 3) * len(self.results or [1])


@dataclass
class Case:
    name: str
    what: str  # the input, in a few words (docs/reliability.md)
    does: str  # what gov-lint does with it
    make: Callable[[Path], Path]
    ok: Callable[[Outcome], bool]
    folder: bool = False
    limits: Limits = LIMITS
    needs: str | None = None  # a module the case needs (reportlab, pdfplumber)


# --------------------------------------------------------------------------- helpers


def _write(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        p = tmp / name
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return p
    return make


def only(*codes: str) -> Callable[[Outcome], bool]:
    """Exactly these file-level codes, in any order (one finding each)."""
    return lambda o: sorted(o.codes) == sorted(codes)


def one_of(*codes: str) -> Callable[[Outcome], bool]:
    """One file, its result a single finding with one of these codes."""
    return lambda o: len(o.results) == 1 and len(o.codes) == 1 and o.codes[0] in codes


def checked_or(*codes: str) -> Callable[[Outcome], bool]:
    """One file, either checked (any findings) or stopped with one of these codes."""
    def ok(o: Outcome) -> bool:
        if len(o.results) != 1:
            return False
        r = o.results[0]
        return r.status == "checked" or (len(r.findings) == 1 and r.findings[0].code in codes)
    return ok


def same_as_base(o: Outcome) -> bool:
    """The findings of the clean base report (none at error level)."""
    return len(o.results) == 1 and o.results[0].status == "checked" and not any(
        f.severity == "error" for f in o.results[0].findings)


def _rand(n: int, seed: int = 13) -> bytes:
    rnd = random.Random(seed)
    return bytes(rnd.randrange(256) for _ in range(n))


def _docx_bytes() -> bytes:
    return (EXAMPLES / "2021" / "clean.docx").read_bytes()


def _docx_with(document_xml: bytes) -> bytes:
    """The example DOCX with its word/document.xml replaced."""
    src = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = document_xml if info.filename == "word/document.xml" else src.read(info.filename)
            z.writestr(info.filename, data)
    return out.getvalue()


def _zip_bomb(tmp: Path) -> Path:
    """A DOCX whose document.xml unpacks to 101 MB of spaces (about 100 KB packed)."""
    p = tmp / "炸弹.docx"
    src = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info.filename, src.read(info.filename))
        with z.open("word/document.xml", "w", force_zip64=True) as w:
            w.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            chunk = b" " * (1 << 20)
            for _ in range(101):
                w.write(chunk)
            w.write(b"</w:body></w:document>")
    return p


W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
          + b']><w:document ' + W_NS + b'><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
XXE = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document ' + W_NS
       + b'><w:body><w:p><w:r><w:t>\xe4\xb8\x80\xe3\x80\x81\xe6\x80\xbb\xe4\xbd\x93\xe6\x83\x85\xe5\x86\xb5 &x;</w:t></w:r></w:p></w:body></w:document>')


def _pdf(tmp: Path, name: str, draw: Callable, encrypt: str | None = None, pages: int = 1,
         size: tuple[float, float] | None = None) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    try:
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    except Exception:  # noqa: BLE001 - already registered
        pass
    p = tmp / name
    c = canvas.Canvas(str(p), pagesize=size or A4, encrypt=encrypt)
    for i in range(pages):
        c.setFont("STSong-Light", 10)
        draw(c, i)
        c.showPage()
    c.save()
    return p


def _report_pdf_lines(c, i) -> None:
    y = 800
    for line in BASE.splitlines()[:60]:
        c.drawString(40, y, line.replace("\t", "  "))
        y -= 13


def _wide_table(c, i) -> None:
    """A ruled table whose right part runs past the page's right edge."""
    c.drawString(40, 800, "二、主动公开政府信息情况")
    xs = [40 + 90 * k for k in range(9)]  # 40 … 760, the page is 595 wide
    for r in range(5):
        y = 760 - 20 * r
        c.line(xs[0], y, xs[-1], y)
        for k, x in enumerate(xs[:-1]):
            c.drawString(x + 4, y - 14, ["规章", "10", "2", "3", "4", "5", "6", "7"][k] if r else f"列{k}")
    for x in xs:
        c.line(x, 760, x, 680)


def _image_only(c, i) -> None:
    c.setFillGray(0.3)
    for k in range(40):
        c.rect(40 + (k % 8) * 60, 700 - (k // 8) * 30, 50, 20, fill=1, stroke=0)


def _truncated_pdf(tmp: Path) -> Path:
    full = _pdf(tmp, "full.pdf", _report_pdf_lines)
    p = tmp / "截断.pdf"
    data = full.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    full.unlink()
    return p


def _symlink_loop(tmp: Path) -> Path:
    d = tmp / "loop"
    d.mkdir()
    (d / "a.txt").write_text(BASE, encoding="utf-8")
    (d / "sub").mkdir()
    os.symlink("..", d / "sub" / "up")  # a folder link back up: the walk must not follow it forever
    os.symlink("self.txt", d / "self.txt")  # a file link to itself
    return d


def _unreadable(tmp: Path) -> Path:
    d = tmp / "locked"
    d.mkdir()
    (d / "a.txt").write_text(BASE, encoding="utf-8")
    secret = d / "b.txt"
    secret.write_text(BASE, encoding="utf-8")
    secret.chmod(0)
    return d


def _unreadable_ok(o: Outcome) -> bool:
    by_name = {Path(r.path).name: r for r in o.results}
    if set(by_name) != {"a.txt", "b.txt"} or by_name["a.txt"].status != "checked":
        return False
    b = by_name["b.txt"]
    if os.geteuid() == 0:  # root reads it anyway
        return b.status == "checked"
    reason = b.reason.render("zh") if hasattr(b.reason, "render") else (b.reason or "")
    return [f.code for f in b.findings] == ["P001"] and "没有读取权限" in reason


def _fifo(tmp: Path) -> Path:
    p = tmp / "管道.txt"
    os.mkfifo(p)
    return p


def _growing(tmp: Path) -> Path:
    """A file that keeps growing while it is read: a FIFO-free stand-in is a file whose size
    changes between the size check and the read (a writer thread appends to it)."""
    import threading

    p = tmp / "增长.txt"
    p.write_text(BASE, encoding="utf-8")

    def grow() -> None:
        with open(p, "a", encoding="utf-8") as fh:
            for _ in range(50):
                fh.write("补充说明。\n" * 50)
                fh.flush()
                time.sleep(0.001)

    t = threading.Thread(target=grow, daemon=True)
    t.start()
    _GROWERS.append(t)
    return p


_GROWERS: list = []  # writer threads of the "growing" case, joined by run_case


def _without_tables() -> str:
    return "\n".join(line for line in BASE.splitlines() if "\t" not in line) + "\n"


def _noise(seed: int = 3) -> str:
    rnd = random.Random(seed)
    alphabet = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
    return "".join(rnd.choice(alphabet + "0123456789，。\n\t") for _ in range(30000))


def _deep_html(depth: int) -> bytes:
    return ("<html><body>" + "<div>" * depth + "一、总体情况" + "</div>" * depth + "</body></html>").encode()


def _huge_html_table(rows: int, cols: int) -> bytes:
    row = "<tr>" + "".join(f"<td>{c}</td>" for c in range(cols)) + "</tr>"
    return ("<html><body><h2>二、主动公开政府信息情况</h2><table>" + row * rows + "</table></body></html>").encode()


def _report_with_digit_cell(digits: int) -> str:
    """The base report with the first number of section 四's table replaced by `digits` digits."""
    lines = BASE.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("四、政府信息公开行政复议"))
    row = next(i for i in range(start, len(lines)) if lines[i][:1].isdigit())
    cells = lines[row].split("\t")
    cells[0] = "7" * digits
    lines[row] = "\t".join(cells)
    return "\n".join(lines) + "\n"


def _report_with_digit_row(digits: int) -> str:
    """The base report with the digits of one section-三 row run together into `digits` digits."""
    lines = BASE.splitlines()
    row = next(i for i, line in enumerate(lines) if "（一）予以公开" in line)
    label = lines[row].rsplit("\t", 7)[0]
    lines[row] = label + "\t" + "3" * digits
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the catalogue


CASES: list[Case] = [
    # empty and binary
    Case("empty", "空文件（0 字节）", "跳过，P004 文件为空", _write("空.txt", b""), only("P004")),
    Case("blank", "只有空格和换行", "跳过，P004 文件为空", _write("空白.txt", " \n\t\r\n  \n"), only("P004")),
    Case("binary-txt", "图片（PNG）改名为 .txt", "P001：不是文本、HTML、DOCX 或 PDF",
         _write("图片.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _rand(8000)), only("P001")),
    Case("nul-bytes", "年报中夹着几个 NUL 字节", "照常检查，NUL 当作普通字符",
         _write("空字节.txt", BASE[:200] + "\x00\x00\x00" + BASE[200:]), same_as_base),
    Case("nul-many", "文本里每隔几个字就有 NUL 字节", "当作二进制数据，P001",
         _write("多空字节.txt", "".join(ch + "\x00\x00\x01" for ch in BASE[:3000])), only("P001")),
    Case("random-bytes", "8 KB 随机字节，后缀 .txt", "P001 或 P003，不会崩溃", _write("随机.txt", _rand(8192, 5)),
         one_of("P001", "P003")),
    Case("random-noise", "3 万个随机汉字、数字和标点", "P003 不是年报", _write("噪声.txt", _noise()), one_of("P003")),
    Case("old-word", "旧版 Word（.doc，OLE 文件）", "P001：请另存为 .docx",
         _write("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + _rand(4000)),
         only("P001")),
    Case("xlsx", "Excel 表格（.xlsx，ZIP 但不是 Word）", "P001：不是年报格式",
         _write("表格.txt", (lambda b: (zipfile.ZipFile(b, "w").writestr("xl/workbook.xml", "<x/>"), b.getvalue())[1])(io.BytesIO())),
         only("P001")),
    # encodings and line endings
    Case("gbk", "GBK（GB18030）编码的年报", "按 GB18030 读取，结果与 UTF-8 相同",
         _write("gbk.txt", BASE.encode("gb18030")), same_as_base),
    Case("utf16-bom", "带 BOM 的 UTF-16 年报", "按 UTF-16 读取，结果与 UTF-8 相同",
         _write("utf16.txt", BASE.encode("utf-16")), same_as_base),
    Case("utf16-no-bom", "没有 BOM 的 UTF-16LE 年报", "从零字节的位置认出 UTF-16，结果与 UTF-8 相同",
         _write("utf16le.txt", BASE.encode("utf-16-le")), same_as_base),
    Case("utf16be-no-bom", "没有 BOM 的 UTF-16BE 年报", "同上（大端）",
         _write("utf16be.txt", BASE.encode("utf-16-be")), same_as_base),
    Case("mixed-encoding", "前半 UTF-8、后半 GBK", "照常检查，另报 P002 有无法解码的字节（或编码无法识别 P001）",
         _write("混合.txt", BASE[:400].encode("utf-8") + BASE[400:].encode("gb18030")),
         lambda o: len(o.results) == 1 and ("P002" in o.codes or o.codes == ["P001"])),
    Case("lone-cr", "只用 CR 换行（旧 Mac）", "CR 当作换行，结果与 LF 相同", _write("cr.txt", BASE.replace("\n", "\r")), same_as_base),
    Case("crlf", "CRLF 换行（Windows）", "结果与 LF 相同", _write("crlf.txt", BASE.replace("\n", "\r\n")), same_as_base),
    # size and long runs
    Case("30mb-text", "30 MB 的文本文件", "不读取，P005 文件太大（默认上限 20 MB）",
         _write("大文件.txt", "一、总体情况\n" + "本年度工作情况良好。" * 1_100_000), only("P005")),
    Case("long-line", "一行 2 MB 的文字", "在时间上限内检查完，或 P006", _write("长行.txt", "政府信息公开" * 350_000),
         checked_or("P003", "P006")),
    Case("many-lines", "50 万行短行", "在时间上限内检查完，或 P006", _write("多行.txt", "一\n" * 500_000),
         checked_or("P003", "P006")),
    Case("digits-32k", "一行 32,000 位数字（32 KB）", "P003 不是年报，或 P006 超出上限，不会卡住",
         _write("数字.txt", "1" * 32_000 + "\n"), one_of("P003", "P006")),
    Case("digits-5mb", "5 MB 的数字", "P003 或 P006，不会卡住", _write("数字5m.txt", "1" * 5_000_000), one_of("P003", "P006")),
    Case("digit-cell-100", "年报第四部分一格里有 100 位数字", "照常检查（P103 等）或 P006，不会卡住",
         _write("长数字格.txt", _report_with_digit_cell(100)), checked_or("P006")),
    Case("digit-row-80", "年报中一行 80 位连写数字", "照常检查或 P006",
         _write("长数字行.txt", _report_with_digit_row(80)), checked_or("P006")),
    # HTML
    Case("html-deep", "嵌套 10 万层的 HTML", "不会栈溢出：检查完（P003）或 P006", _write("深.html", _deep_html(100_000)),
         one_of("P003", "P006", "P001")),
    Case("html-malformed", "残缺的 HTML（标签不闭合、乱序）", "尽量读取；不是年报则 P003",
         _write("残缺.html", b"<html><body><table><tr><td>1<td>2</tr></div></span><p><b><i>" + BASE.encode() + b"</table"),
         checked_or("P003")),
    Case("html-huge-table", "2000 行 × 60 列的 HTML 表格", "在上限内读完（P003）或 P006",
         _write("大表.html", _huge_html_table(2000, 60)), checked_or("P003", "P006")),
    # DOCX
    Case("docx-not-zip", "随机字节改名为 .docx", "P001", _write("假.docx", _rand(5000, 9)), only("P001")),
    Case("docx-truncated", "只有前一半的 DOCX", "P001：文件已损坏",
         lambda tmp: _write("截断.docx", _docx_bytes()[: len(_docx_bytes()) // 2])(tmp), only("P001")),
    Case("docx-zip-bomb", "解压后 101 MB 的 DOCX（压缩炸弹）", "不解压，P005 解压后太大", _zip_bomb, only("P005")),
    Case("docx-entities", "XML 实体层层展开（billion laughs）", "实体不展开：P001 或 P004，内存不涨",
         lambda tmp: _write("实体.docx", _docx_with(LAUGHS))(tmp), one_of("P001", "P003", "P004")),
    Case("docx-xxe", "引用外部文件的 XML 实体（XXE）", "外部实体不读取，文件内容不会出现在结果里",
         lambda tmp: _write("外部实体.docx", _docx_with(XXE))(tmp),
         lambda o: len(o.results) == 1 and not any("root:" in (f.message_text if hasattr(f, "message_text") else str(f.text()))
                                                  for f in o.results[0].findings)),
    # PDF
    Case("pdf-encrypted", "设置了打开密码的 PDF", "P001：请去掉密码", lambda tmp: _pdf(tmp, "加密.pdf", _report_pdf_lines, encrypt="secret"),
         only("P001"), needs="reportlab"),
    Case("pdf-truncated", "只有前一半的 PDF", "P001 已损坏，或读出的部分照常检查", _truncated_pdf,
         checked_or("P001", "P003", "P004"), needs="reportlab"),
    Case("pdf-image-only", "只有图片、没有文字层的 PDF（扫描件）", "P001/P004：没有文字", lambda tmp: _pdf(tmp, "扫描.pdf", _image_only),
         one_of("P001", "P004"), needs="reportlab"),
    Case("pdf-wide-table", "表格超出页面右边缘的 PDF", "照常读取（不当作损坏）",
         lambda tmp: _pdf(tmp, "宽表.pdf", _wide_table), lambda o: "P001" not in o.codes and len(o.results) == 1, needs="reportlab"),
    Case("pdf-1000-pages", "1000 页的 PDF", "在时间上限内读完或 P006，不会卡住",
         lambda tmp: _pdf(tmp, "千页.pdf", _report_pdf_lines, pages=1000), checked_or("P003", "P006"), needs="reportlab"),
    # whole-report damage
    Case("no-tables", "删掉了所有表格的年报", "照常检查，报告缺少的表格（P101）",
         _write("无表.txt", _without_tables()), lambda o: len(o.results) == 1 and "P101" in o.codes),
    Case("pasted-twice", "整份年报粘贴了两遍", "只检查第一遍，一条 P007 说明重复",
         _write("两遍.txt", BASE + "\n" + BASE), lambda o: o.codes.count("P007") == 1 and "P105" not in o.codes and "T202" not in o.codes),
    # folders and files on disk
    Case("symlink-loop", "文件夹里有指回上级的链接和自指链接", "不会无限循环；自指链接 P001",
         _symlink_loop, lambda o: sorted(Path(r.path).name for r in o.results) == ["a.txt", "self.txt"]
         and [f.code for r in o.results if r.path.endswith("self.txt") for f in r.findings] == ["P001"], folder=True),
    Case("unreadable", "文件夹里有一个没有读取权限的文件", "P001 没有读取权限，其他文件照常检查", _unreadable, _unreadable_ok, folder=True),
    Case("fifo", "命名管道（FIFO）当作文件传入", "不阻塞：P001 不是普通文件", _fifo, only("P001")),
    Case("growing", "读取时还在变大的文件", "读到的部分照常检查，内存有上限", _growing, lambda o: len(o.results) == 1),
    Case("directory-named-txt", "名为 报告.txt 的文件夹当作文件传入", "P001 是文件夹",
         lambda tmp: (tmp / "报告.txt").mkdir() or (tmp / "报告.txt"), only("P001")),
    Case("dangling-link", "指向不存在文件的链接", "P001 文件不存在",
         lambda tmp: (os.symlink(tmp / "nowhere.txt", tmp / "断链.txt"), tmp / "断链.txt")[1], only("P001")),
]


def run_case(case: Case, tmp: Path) -> Outcome:
    """Build the case's input in `tmp` and check it the way the CLI does; exceptions are caught and reported."""
    from gov_lint.cli import collect

    out = Outcome()
    try:
        target = case.make(tmp)
    except Exception as exc:  # noqa: BLE001 - a case that cannot be built is the harness's problem
        out.crash = f"could not build the input: {type(exc).__name__}: {exc}"
        return out
    options = CheckOptions(limits=case.limits)
    start = time.monotonic()
    try:
        files = collect([target]) if case.folder else [str(target)]
        for f in files:
            r = check_path(f, options)
            r.report = None
            out.results.append(r)
    except BaseException as exc:  # noqa: BLE001 - counted as a crash
        out.crash = f"{type(exc).__name__}: {exc}"
    out.seconds = time.monotonic() - start
    while _GROWERS:
        _GROWERS.pop().join(30)
    return out
