"""`gov-lint serve`: a local web page for the office that writes the report.

Drop a file on the page (or paste the text) and see the HTML report of
`gov_lint.output.html` for it; `POST /api/check` answers with the JSON of
`gov-lint check --format json` for that one file.

Privacy by construction: the upload is read into memory (never a temporary file:
the multipart body is parsed here with python-multipart's streaming parser, not
with Starlette's spooling form parser), handed to `check_bytes`, and dropped.
Nothing is written to disk and nothing is fetched from the network; the pages
carry their CSS and JS inline.  The body is counted while it is read, so a client
that sends more than `--max-upload` gets HTTP 413 whatever its Content-Length said.

The server binds to 127.0.0.1 unless `--host` names another address; then it
prints a warning, since anyone who can reach that address can use the page.

Limits (issue 13): at most `max_concurrent` checks run at once (a request that
cannot get a slot within `QUEUE_WAIT` seconds is answered 503, "busy"); each
check has a time limit (`time_limit`, the per-file budget of budget.py, which
ends in a P006 finding instead of holding a worker); only form bodies are
accepted (anything else is 415); the upload's file name is cut to a bare,
printable name and only ever used in messages, never as a path; and while a
check runs, the budget's audit hook refuses every network connection.

Starlette, uvicorn and python-multipart come with the `web` extra
(`pip install 'gov-lint[web]'`); this module imports them only when a server or
an app is actually made, so `bind_address` and `parse_size` work without them.
"""

from __future__ import annotations

import ipaddress
import sys
from dataclasses import dataclass, field
from io import StringIO
from typing import Any, Callable
from urllib.parse import parse_qs

from html import escape
import re

from .budget import SizeError, human_size, parse_size  # noqa: F401 - parse_size is part of this module's API

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_UPLOAD = 10 * 1024 * 1024
DEFAULT_TIME_LIMIT = 20.0  # seconds of checking per request
DEFAULT_MAX_CONCURRENT = 2  # checks at once (this is a page for one office)
QUEUE_WAIT = 10.0  # seconds a request may wait for a free slot before "busy"
MAX_NAME = 120  # characters of an upload's file name kept for messages
FORM_ALLOWANCE = 16 * 1024  # room for the form's own headers and fields around the file
ACCEPT = ".txt,.text,.md,.markdown,.html,.htm,.docx,.pdf"


# --------------------------------------------------------------------------- settings


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    h = host.strip().strip("[]").lower()
    if h == "localhost" or h.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def bind_address(host: str | None) -> tuple[str, str | None]:
    """The address to bind to, and a warning to print (None when there is none).

    Without `--host` the answer is always 127.0.0.1: the page is for the person at
    this computer.  An explicit non-loopback `--host` is honoured with a warning.
    """
    if host is None or not host.strip():
        return DEFAULT_HOST, None
    host = host.strip()
    if is_loopback(host):
        return host, None
    return host, (
        f"警告：服务绑定在 {host}，同一网络中的其他人也能打开这个页面并上传文件。"
        f"只在可信的网络中这样做。\n"
        f"Warning: serving on {host}; anyone who can reach this address can use the page and upload files. "
        f"Do this only on a trusted network."
    )


# --------------------------------------------------------------------------- body reading


class TooLarge(Exception):
    """The request body went past the limit."""


class BadForm(Exception):
    """The body is not a form this server understands."""


class UnsupportedType(BadForm):
    """The body is not a form at all (HTTP 415)."""


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


def safe_name(name: str | None, fallback: str = "upload.txt") -> str:
    """An upload's file name reduced to a bare, printable name (never a path).

    Folders (`/` or `\\`), drive letters, control characters and characters that
    no file system accepts are dropped; `.` and `..` are refused; the name is cut
    to MAX_NAME characters, keeping its suffix (the readers break ties on it).
    """
    base = re.split(r"[/\\]", name or "")[-1]
    base = _UNSAFE_NAME.sub("", base).strip().strip(".")
    if not base:
        return fallback
    if len(base) > MAX_NAME:
        stem, dot, suffix = base.rpartition(".")
        base = (stem[: MAX_NAME - len(suffix) - 1] + "." + suffix) if dot and len(suffix) <= 10 else base[:MAX_NAME]
    return base


@dataclass
class FormData:
    fields: dict[str, str] = field(default_factory=dict)
    file_name: str | None = None
    file_data: bytes | None = None


class _MultipartCollector:
    """Collects a multipart/form-data body in memory with python-multipart's push parser."""

    def __init__(self, boundary: bytes) -> None:
        from python_multipart.multipart import MultipartParser

        self.form = FormData()
        self._hname = bytearray()
        self._hvalue = bytearray()
        self._headers: dict[str, bytes] = {}
        self._data: list[bytes] = []
        self.parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._begin,
                "on_header_field": lambda d, s, e: self._hname.extend(d[s:e]),
                "on_header_value": lambda d, s, e: self._hvalue.extend(d[s:e]),
                "on_header_end": self._header_end,
                "on_part_data": lambda d, s, e: self._data.append(bytes(d[s:e])),
                "on_part_end": self._end,
            },
        )

    def _begin(self) -> None:
        self._headers = {}
        self._data = []

    def _header_end(self) -> None:
        self._headers[self._hname.decode("latin-1").lower()] = bytes(self._hvalue)
        self._hname.clear()
        self._hvalue.clear()

    def _end(self) -> None:
        from python_multipart.multipart import parse_options_header

        disp, params = parse_options_header(self._headers.get("content-disposition", b""))
        if disp != b"form-data":
            return
        name = params.get(b"name", b"").decode("utf-8", "replace")
        data = b"".join(self._data)
        if b"filename" in params:
            if name == "file" and params[b"filename"]:
                self.form.file_name = safe_name(params[b"filename"].decode("utf-8", "replace"))
                self.form.file_data = data
        else:
            self.form.fields[name] = data.decode("utf-8", "replace")

    def write(self, chunk: bytes) -> None:
        self.parser.write(chunk)

    def finish(self) -> FormData:
        self.parser.finalize()
        return self.form


async def read_form(request: Any, limit: int) -> FormData:
    """Read a multipart or url-encoded form into memory, at most `limit` bytes of body."""
    from python_multipart.multipart import parse_options_header

    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise TooLarge
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    total = 0
    if ctype == b"multipart/form-data":
        boundary = params.get(b"boundary")
        if not boundary:
            raise BadForm("multipart body without a boundary")
        collector = _MultipartCollector(boundary)
        try:
            async for chunk in request.stream():
                total += len(chunk)
                if total > limit:
                    raise TooLarge
                collector.write(chunk)
            return collector.finish()
        except TooLarge:
            raise
        except Exception as exc:  # python-multipart's parse errors
            raise BadForm(str(exc)) from None
    if ctype == b"application/x-www-form-urlencoded":
        chunks = []
        async for chunk in request.stream():
            total += len(chunk)
            if total > limit:
                raise TooLarge
            chunks.append(chunk)
        qs = parse_qs(b"".join(chunks).decode("utf-8", "replace"), keep_blank_values=True)
        return FormData(fields={k: v[0] for k, v in qs.items()})
    raise UnsupportedType(f"unsupported content type {ctype.decode('latin-1') or '(none)'}")


# --------------------------------------------------------------------------- pages

_T = {
    "zh": {
        "title": "政府信息公开工作年度报告检查",
        "lead": "把年度报告文件拖到下面的方框里，或点击选择文件，也可以直接粘贴报告全文。",
        "drop": "把文件拖到这里，或点击选择文件",
        "types": "支持 txt、md、html、docx、pdf，文件不超过 {limit}。",
        "chosen": "已选择：",
        "or_paste": "或者粘贴报告全文",
        "paste_ph": "把报告全文粘贴在这里（包括表格）",
        "submit": "检查",
        "busy": "正在检查…",
        "privacy": "文件只在本机内存中检查，检查完即丢弃，不保存、不上传到其他地方。",
        "lang": "语言",
        "again": "← 检查另一个文件",
        "nothing": "请选择一个文件，或粘贴报告全文。",
        "too_large_file": "这个文件超过了 {limit}，无法上传。",
        "pasted": "粘贴的文本.txt",
        "checked_mem": "文件已在内存中检查，没有保存。",
        "error_title": "无法检查",
        "server_busy": "现在正在检查的文件太多，请过一会儿再试。",
        "timed_out": "这个文件检查了很久还没有结束（上限 {seconds} 秒），已放弃。请检查文件中是否有大段乱码或重复内容。",
        "not_form": "只接受从检查页面提交的表单（multipart/form-data 或 application/x-www-form-urlencoded）。",
    },
    "en": {
        "title": "Check a government information disclosure annual report",
        "lead": "Drop the annual report file in the box below or click to pick it; you can also paste the whole text.",
        "drop": "Drop a file here, or click to choose one",
        "types": "txt, md, html, docx or pdf, up to {limit}.",
        "chosen": "Chosen: ",
        "or_paste": "Or paste the whole report",
        "paste_ph": "Paste the full text of the report here (tables included)",
        "submit": "Check",
        "busy": "Checking…",
        "privacy": "The file is checked in this computer's memory and then dropped: nothing is stored or sent anywhere.",
        "lang": "Language",
        "again": "← Check another file",
        "nothing": "Choose a file or paste the report's text.",
        "too_large_file": "This file is larger than {limit} and cannot be uploaded.",
        "pasted": "pasted.txt",
        "checked_mem": "Checked in memory; nothing was stored.",
        "error_title": "Cannot check",
        "server_busy": "Too many files are being checked right now; please try again in a moment.",
        "timed_out": "Checking this file took far longer than its {seconds}-second limit and was abandoned.",
        "not_form": "Only forms sent from the check page are accepted (multipart/form-data or application/x-www-form-urlencoded).",
    },
}


def _lang(value: str | None, default: str) -> str:
    return value if value in ("zh", "en") else default


def too_large_message(limit: int) -> tuple[str, str]:
    size = human_size(limit)
    return (
        f"上传的内容太大：上限是 {size}。请上传更小的文件，或只粘贴报告正文。",
        f"The upload is too large: the limit is {size}. Upload a smaller file or paste only the report's text.",
    )


PAGE_CSS = """
*{box-sizing:border-box}
body{margin:0;color:#1b1b1b;background:#f4f6f8;line-height:1.6;font-size:16px;
font-family:system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif}
main{max-width:760px;margin:0 auto;padding:16px}
header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:8px}
h1{font-size:1.4rem;margin:.4em 0}
nav.lang a{margin-left:8px}nav.lang a[aria-current]{font-weight:700;color:#1b1b1b;text-decoration:none}
form{background:#fff;border:1px solid #c9ced6;border-radius:10px;padding:16px}
.drop{display:block;border:3px dashed #5b6b80;border-radius:10px;padding:28px 12px;text-align:center;cursor:pointer;background:#fafcff}
.drop:focus-within,.drop.over{border-color:#0b57a4;background:#e8f1fc}
.drop input{display:block;margin:12px auto 0;max-width:100%}
.drop .big{font-size:1.15rem;font-weight:600}
.types,.privacy{color:#4d4d4d;font-size:.92rem}
.chosen{font-weight:600;overflow-wrap:anywhere;min-height:1.6em}
textarea{width:100%;min-height:9em;font:inherit;padding:8px;border:1px solid #9aa3af;border-radius:6px}
button{font:inherit;font-size:1.1rem;padding:8px 28px;border-radius:8px;border:0;background:#0b57a4;color:#fff;cursor:pointer;margin-top:12px}
button:focus{outline:3px solid #111;outline-offset:2px}
.msg{border:3px double #b3261e;background:#fde7e4;padding:10px 12px;border-radius:6px;margin:12px 0}
a{color:#0b57a4}
.bar{display:flex;flex-wrap:wrap;gap:8px 20px;align-items:baseline;background:#eef1f5;border:1px solid #c9ced6;border-radius:8px;padding:8px 12px;margin:0 0 12px}
"""

PAGE_JS = """
(function(){
  var form=document.getElementById('check-form'),input=document.getElementById('file'),
      zone=document.getElementById('drop'),chosen=document.getElementById('chosen'),
      warn=document.getElementById('client-msg'),limit=parseInt(form.getAttribute('data-limit'),10);
  function show(){var f=input.files&&input.files[0];chosen.textContent=f?(chosen.getAttribute('data-prefix')+f.name):'';
    if(f&&f.size>limit){warn.hidden=false;}else{warn.hidden=true;}}
  input.addEventListener('change',show);
  ['dragenter','dragover'].forEach(function(t){zone.addEventListener(t,function(ev){ev.preventDefault();zone.classList.add('over');});});
  ['dragleave','drop'].forEach(function(t){zone.addEventListener(t,function(){zone.classList.remove('over');});});
  zone.addEventListener('drop',function(ev){ev.preventDefault();if(ev.dataTransfer&&ev.dataTransfer.files.length){
    input.files=ev.dataTransfer.files;show();}});
  form.addEventListener('submit',function(ev){var f=input.files&&input.files[0];if(f&&f.size>limit){ev.preventDefault();warn.hidden=false;return;}
    var b=form.querySelector('button[type=submit]');b.disabled=true;b.textContent=b.getAttribute('data-busy');});
  window.addEventListener('pageshow',function(){var b=form.querySelector('button[type=submit]');b.disabled=false;b.textContent=b.getAttribute('data-label');});
})();
"""


def _shell(lang: str, title: str, body: str, script: str = "") -> str:
    html_lang = "en" if lang == "en" else "zh-CN"
    js = f"<script>{script}</script>" if script else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{PAGE_CSS}</style></head>"
        f"<body><main>{body}</main>{js}</body></html>\n"
    )


CURRENT = ' aria-current="page"'


def upload_page(lang: str, limit: int, message: str | None = None) -> str:
    t = _T[lang]
    size = human_size(limit)
    other = [("zh", "中文"), ("en", "English")]
    links = "".join(
        f'<a href="/?lang={code}"{CURRENT if code == lang else ""} lang="{"zh-CN" if code == "zh" else "en"}">{name}</a>'
        for code, name in other
    )
    msg = f'<div class="msg" role="alert">{escape(message)}</div>' if message else ""
    body = f"""
<header><h1>{escape(t['title'])}</h1><nav class="lang" aria-label="{escape(t['lang'])}">{links}</nav></header>
<p>{escape(t['lead'])}</p>
{msg}
<form id="check-form" method="post" action="/check" enctype="multipart/form-data" data-limit="{limit}">
<input type="hidden" name="lang" value="{lang}">
<label class="drop" id="drop"><span class="big">{escape(t['drop'])}</span>
<input type="file" id="file" name="file" accept="{ACCEPT}"></label>
<p class="types">{escape(t['types'].format(limit=size))}</p>
<p class="chosen" id="chosen" data-prefix="{escape(t['chosen'])}" aria-live="polite"></p>
<div class="msg" id="client-msg" role="alert" hidden>{escape(t['too_large_file'].format(limit=size))}</div>
<p><label for="text">{escape(t['or_paste'])}</label></p>
<textarea id="text" name="text" placeholder="{escape(t['paste_ph'])}"></textarea>
<button type="submit" data-label="{escape(t['submit'])}" data-busy="{escape(t['busy'])}">{escape(t['submit'])}</button>
<p class="privacy">{escape(t['privacy'])}</p>
</form>
"""
    return _shell(lang, t["title"], body, PAGE_JS)


def message_page(lang: str, message: str) -> str:
    t = _T[lang]
    body = (
        f"<h1>{escape(t['error_title'])}</h1><div class=\"msg\" role=\"alert\">{escape(message)}</div>"
        f'<p><a href="/?lang={lang}">{escape(t["again"])}</a></p>'
    )
    return _shell(lang, t["error_title"], body)


def report_banner(lang: str) -> str:
    t = _T[lang]
    return (
        f'<nav class="bar" style="display:flex;flex-wrap:wrap;gap:8px 20px;background:#eef1f5;border:1px solid #c9ced6;'
        f'border-radius:8px;padding:8px 12px;margin:0 0 12px"><a href="/?lang={lang}">{escape(t["again"])}</a>'
        f"<span>{escape(t['checked_mem'])}</span></nav>"
    )


# --------------------------------------------------------------------------- checking


Checker = Callable[[str, bytes, str], Any]  # (name, data, lang) → FileResult


def make_checker(time_limit: float = DEFAULT_TIME_LIMIT, max_bytes: int = DEFAULT_MAX_UPLOAD) -> Checker:
    """`check_bytes` in the page's language, under a per-request time limit (a P006 finding when it runs out)."""
    from .budget import Limits
    from .check import CheckOptions, check_bytes

    limits = Limits(max_bytes=max_bytes, max_seconds=time_limit)

    def checker(name: str, data: bytes, lang: str):
        return check_bytes(safe_name(name), data, CheckOptions(lang=lang, limits=limits))

    return checker


def default_checker(name: str, data: bytes, lang: str):
    """`check_bytes` with the default limits, in the page's language."""
    return make_checker()(name, data, lang)


def json_for(result: Any, lang: str) -> str:
    """`gov-lint check --format json` for one result, through the registered renderer."""
    from . import __version__
    from .output import FORMATS
    from .output.base import RenderOptions, Summary

    out = StringIO()
    renderer = FORMATS["json"](out, RenderOptions(lang=lang, tool_version=__version__))
    summary = Summary()
    summary.add(result)
    renderer.file(result)
    renderer.finish(summary)
    return out.getvalue()


def html_for(result: Any, lang: str) -> str:
    from . import __version__
    from .output.base import RenderOptions
    from .output.html import render_html

    return render_html([result], RenderOptions(lang=lang, tool_version=__version__), banner=report_banner(lang))


# --------------------------------------------------------------------------- app


class Busy(Exception):
    """No check slot became free in time."""


class TimedOut(Exception):
    """The check did not come back within the wall-clock backstop."""


def create_app(
    max_upload: int = DEFAULT_MAX_UPLOAD,
    lang: str = "zh",
    checker: Checker | None = None,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    max_concurrent: int = DEFAULT_MAX_CONCURRENT,
    queue_wait: float = QUEUE_WAIT,
):
    """The Starlette app (routes: GET /, POST /check, POST /api/check)."""
    import asyncio
    import threading

    from starlette.applications import Starlette

    from .budget import _wall_backstop
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Route

    default_lang = _lang(lang, "zh")
    check = checker or make_checker(time_limit, max_upload)
    limit = max_upload + FORM_ALLOWANCE
    slots = threading.BoundedSemaphore(max(1, max_concurrent))  # not bound to one event loop

    async def run_check(name: str, data: bytes, lang_: str):
        """One check in the thread pool, holding one of the `max_concurrent` slots.

        The budget's watchdog stops the check after `time_limit` seconds of work.  A
        thread stuck in one long C call cannot be interrupted from outside, so after
        the wall-clock backstop the request is answered anyway (TimedOut) and the
        thread keeps its slot until it ends: the page stays responsive and at most
        `max_concurrent` such threads ever exist.
        """
        if not await run_in_threadpool(slots.acquire, True, queue_wait):
            raise Busy
        task = asyncio.ensure_future(run_in_threadpool(check, safe_name(name), data, lang_))
        task.add_done_callback(lambda _t: slots.release())
        if time_limit <= 0:
            return await task
        try:
            return await asyncio.wait_for(asyncio.shield(task), timeout=_wall_backstop(time_limit))
        except asyncio.TimeoutError:
            raise TimedOut from None

    def page_lang(request: Request, form: FormData | None = None) -> str:
        value = (form.fields.get("lang") if form else None) or request.query_params.get("lang")
        return _lang(value, default_lang)

    async def index(request: Request) -> Response:
        return HTMLResponse(upload_page(page_lang(request), max_upload), headers=_HEADERS)

    async def _input(form: FormData, lang_: str) -> tuple[str, bytes] | None:
        if form.file_data is not None and form.file_name:
            if len(form.file_data) > max_upload:
                raise TooLarge
            return form.file_name, form.file_data
        text = form.fields.get("text", "")
        if text.strip():
            data = text.encode("utf-8")
            if len(data) > max_upload:
                raise TooLarge
            return _T[lang_]["pasted"], data
        return None

    async def check_form(request: Request) -> Response:
        lang_ = page_lang(request)
        try:
            form = await read_form(request, limit)
            lang_ = page_lang(request, form)
            got = await _input(form, lang_)
        except TooLarge:
            zh, en = too_large_message(max_upload)
            return HTMLResponse(message_page(lang_, f"{zh}\n{en}" if lang_ == "zh" else f"{en}\n{zh}"), 413, headers=_HEADERS)
        except UnsupportedType:
            return HTMLResponse(message_page(lang_, _T[lang_]["not_form"]), 415, headers=_HEADERS)
        except BadForm:
            return HTMLResponse(message_page(lang_, _T[lang_]["nothing"]), 400, headers=_HEADERS)
        if got is None:
            return HTMLResponse(upload_page(lang_, max_upload, _T[lang_]["nothing"]), 400, headers=_HEADERS)
        name, data = got
        try:
            result = await run_check(name, data, lang_)
        except Busy:
            return HTMLResponse(message_page(lang_, _T[lang_]["server_busy"]), 503, headers={**_HEADERS, "Retry-After": "10"})
        except TimedOut:
            return HTMLResponse(message_page(lang_, _T[lang_]["timed_out"].format(seconds=f"{time_limit:g}")), 503,
                                headers=_HEADERS)
        del data, form
        page = await run_in_threadpool(html_for, result, lang_)
        return HTMLResponse(page, headers=_HEADERS)

    async def api_check(request: Request) -> Response:
        lang_ = page_lang(request)
        try:
            form = await read_form(request, limit)
            lang_ = page_lang(request, form)
            got = await _input(form, lang_)
        except TooLarge:
            zh, en = too_large_message(max_upload)
            return JSONResponse(
                {"error": "upload-too-large", "limit": max_upload, "message": zh, "message_en": en}, 413, headers=_HEADERS
            )
        except UnsupportedType:
            return JSONResponse(
                {"error": "unsupported-media-type", "message": _T["zh"]["not_form"], "message_en": _T["en"]["not_form"]},
                415, headers=_HEADERS,
            )
        except BadForm as exc:
            return JSONResponse(
                {"error": "bad-request", "message": "请求不是表单（multipart/form-data）。", "message_en": f"not a form: {exc}"},
                400,
                headers=_HEADERS,
            )
        if got is None:
            return JSONResponse(
                {"error": "no-input", "message": _T["zh"]["nothing"], "message_en": _T["en"]["nothing"]}, 400, headers=_HEADERS
            )
        name, data = got
        try:
            result = await run_check(name, data, lang_)
        except Busy:
            return JSONResponse(
                {"error": "busy", "message": _T["zh"]["server_busy"], "message_en": _T["en"]["server_busy"]}, 503,
                headers={**_HEADERS, "Retry-After": "10"},
            )
        except TimedOut:
            secs = f"{time_limit:g}"
            return JSONResponse(
                {"error": "time-limit", "message": _T["zh"]["timed_out"].format(seconds=secs),
                 "message_en": _T["en"]["timed_out"].format(seconds=secs)}, 503, headers=_HEADERS,
            )
        body = await run_in_threadpool(json_for, result, lang_)
        return Response(body, media_type="application/json; charset=utf-8", headers=_HEADERS)

    return Starlette(
        routes=[
            Route("/", index, methods=["GET"]),
            Route("/check", check_form, methods=["POST"]),
            Route("/api/check", api_check, methods=["POST"]),
        ]
    )


# Pages are built per request and hold the user's report: no caching, no framing by
# other sites, no resource loads from anywhere but inline.
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
}


# --------------------------------------------------------------------------- serve


def bind_socket(host: str, port: int):
    """A listening socket on host:port; raises OSError (EADDRINUSE when the port is taken)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(64)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def bind_error_message(host: str, port: int, exc: OSError) -> str:
    """Why the page could not start listening, in Chinese then English."""
    import errno

    if exc.errno == errno.EADDRINUSE:
        return (f"错误：端口 {port} 已被其他程序占用（可能已经开着一个 gov-lint 网页）。"
                f"请关闭那个程序，或用 --port 换一个端口，例如 --port {port + 1 if port < 65535 else 8001}。\n"
                f"error: port {port} is already in use; close the other program or choose another port with --port.")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (f"错误：没有权限使用端口 {port}（1024 以下的端口通常需要管理员权限）。请用 --port 换一个大于 1024 的端口。\n"
                f"error: no permission to listen on port {port}; choose a port above 1024 with --port.")
    if exc.errno == errno.EADDRNOTAVAIL or isinstance(exc, __import__("socket").gaierror):
        return (f"错误：这台电脑上没有地址 {host}，无法在它上面提供网页。请检查 --host。\n"
                f"error: {host} is not an address of this computer; check --host.")
    return f"错误：无法在 {host}:{port} 上提供网页（{exc.strerror or exc}）。\nerror: cannot listen on {host}:{port}: {exc}"


def serve(
    host: str | None = None,
    port: int = DEFAULT_PORT,
    max_upload: str | int = DEFAULT_MAX_UPLOAD,
    lang: str = "zh",
    echo: Callable[[str], None] | None = None,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    max_concurrent: int = DEFAULT_MAX_CONCURRENT,
) -> int:
    """Run the server until interrupted; returns an exit code (2: bad option, busy port or missing extra)."""
    say = echo or (lambda s: print(s, file=sys.stderr))
    try:
        limit = parse_size(max_upload)
    except SizeError as exc:
        say(f"错误：--max-upload 的值无效：{exc.zh}\nerror: bad --max-upload value: {exc.en}")
        return 2
    if not 0 < port < 65536:
        say(f"错误：端口 {port} 无效，应在 1 到 65535 之间 / invalid port {port}")
        return 2
    if time_limit < 0 or max_concurrent < 1:
        say("错误：--time-limit 不能小于 0，--max-concurrent 至少是 1 / invalid --time-limit or --max-concurrent")
        return 2
    try:
        import python_multipart  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn
    except ImportError as exc:
        say(
            f"错误：网页功能需要额外的依赖（{exc.name}）。请运行：pip install 'gov-lint[web]'\n"
            f"error: the web page needs the web extra ({exc.name}): pip install 'gov-lint[web]'"
        )
        return 2
    bind, warning = bind_address(host)
    try:
        sock = bind_socket(bind, port)
    except OSError as exc:
        say(bind_error_message(bind, port, exc))
        return 2
    if warning:
        say(warning)
    shown = f"[{bind}]" if ":" in bind else bind
    say(f"gov-lint 网页：http://{shown}:{port}/  （按 Ctrl+C 停止 / press Ctrl+C to stop）")
    app = create_app(limit, lang, time_limit=time_limit, max_concurrent=max_concurrent)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m gov_lint.web [--host H] [--port P] [--max-upload SIZE] [--lang zh|en]`."""
    import argparse

    ap = argparse.ArgumentParser(prog="gov-lint serve")
    ap.add_argument("--host", default=None)
    ap.add_argument("--port", type=int, default=DEFAULT_PORT)
    ap.add_argument("--max-upload", default=str(DEFAULT_MAX_UPLOAD))
    ap.add_argument("--lang", choices=["zh", "en"], default="zh")
    ap.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT)
    ap.add_argument("--max-concurrent", type=int, default=DEFAULT_MAX_CONCURRENT)
    a = ap.parse_args(argv)
    return serve(a.host, a.port, a.max_upload, a.lang, time_limit=a.time_limit, max_concurrent=a.max_concurrent)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
