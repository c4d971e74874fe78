"""`gov-lint serve`: the upload page, POST /api/check, the size limit, the bind address."""

from __future__ import annotations

import builtins
import importlib.util
import json
import tempfile
from pathlib import Path

import pytest

from gov_lint import web

pytest.importorskip("starlette", reason="the web extra (starlette) is not installed: pip install -e '.[web]'")
pytest.importorskip("python_multipart", reason="the web extra (python-multipart) is not installed")
pytest.importorskip("httpx", reason="starlette's TestClient needs httpx (test extra)")

from starlette.testclient import TestClient  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NEEDS = {".pdf": "pdfplumber", ".docx": "docx"}
READER = {".txt": "text", ".md": "text", ".html": "html", ".docx": "docx", ".pdf": "pdf"}


# --------------------------------------------------------------------------- bind address and sizes


def test_default_bind_address_is_loopback():
    assert web.bind_address(None) == ("127.0.0.1", None)
    assert web.bind_address("") == ("127.0.0.1", None)
    assert web.DEFAULT_HOST == "127.0.0.1"


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_hosts_need_no_warning(host):
    bound, warning = web.bind_address(host)
    assert bound == host and warning is None


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.internal"])
def test_other_hosts_are_honoured_with_a_warning(host):
    bound, warning = web.bind_address(host)
    assert bound == host
    assert warning and "警告" in warning and "Warning" in warning and host in warning


@pytest.mark.parametrize(
    "text, n", [("10MB", 10 * 1024**2), ("512k", 512 * 1024), ("1048576", 1048576), ("1.5 MiB", 1572864), (2048, 2048)]
)
def test_parse_size(text, n):
    assert web.parse_size(text) == n


@pytest.mark.parametrize("text", ["", "ten", "10XB", "0", "-1"])
def test_parse_size_rejects(text):
    with pytest.raises(ValueError):
        web.parse_size(text)


def test_serve_rejects_bad_options_without_starting(capsys):
    said = []
    assert web.serve(max_upload="lots", echo=said.append) == 2
    assert web.serve(port=70000, echo=said.append) == 2
    assert "--max-upload" in said[0] and "端口" in said[1]


# --------------------------------------------------------------------------- fakes for server behaviour


class Recorder:
    """A checker that records what it was given and returns a fixed result."""

    def __init__(self):
        self.calls = []

    def __call__(self, name, data, lang):
        from gov_lint.model import FileResult

        self.calls.append((name, data, lang))
        return FileResult(path=name, status="checked", template="2021", year=2023)


def client(max_upload=web.DEFAULT_MAX_UPLOAD, checker=None, lang="zh"):
    return TestClient(web.create_app(max_upload=max_upload, lang=lang, checker=checker))


def test_upload_page_chinese_by_default():
    r = client().get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert '<html lang="zh-CN">' in page
    assert 'action="/check"' in page and 'enctype="multipart/form-data"' in page
    assert '<input type="file" id="file" name="file" accept=".txt,.text,.md,.markdown,.html,.htm,.docx,.pdf">' in page
    assert '<textarea id="text" name="text"' in page
    assert "把文件拖到这里" in page and "10 MB" in page and "不保存" in page
    assert 'href="/?lang=en"' in page
    assert "http://" not in page and "https://" not in page and "<link" not in page and "src=" not in page
    assert r.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in r.headers["content-security-policy"]


def test_upload_page_english():
    page = client().get("/?lang=en").text
    assert '<html lang="en">' in page and "Drop a file here" in page and 'name="lang" value="en"' in page


def test_file_bytes_reach_the_checker_unchanged():
    rec = Recorder()
    data = "报告\t1\n".encode("gb18030") + bytes(range(256))
    r = client(checker=rec).post("/api/check", files={"file": ("乡镇报告.txt", data, "text/plain")}, data={"lang": "en"})
    assert r.status_code == 200
    assert rec.calls == [("乡镇报告.txt", data, "en")]


def test_pasted_text_is_checked_as_utf8_text():
    rec = Recorder()
    r = client(checker=rec).post("/api/check", data={"text": "一、总体情况\n本年度……"})
    assert r.status_code == 200
    assert rec.calls == [("粘贴的文本.txt", "一、总体情况\n本年度……".encode("utf-8"), "zh")]


def test_nothing_to_check_is_a_400():
    r = client(checker=Recorder()).post("/api/check", data={"text": "   "})
    assert r.status_code == 400 and r.json()["error"] == "no-input"
    r = client(checker=Recorder()).post("/check", data={"lang": "zh"}, files={"file": ("", b"", "text/plain")})
    assert r.status_code == 400 and "请选择一个文件" in r.text


def test_not_a_form_is_a_415():
    r = client(checker=Recorder()).post("/api/check", content=b"{}", headers={"content-type": "application/json"})
    assert r.status_code == 415 and r.json()["error"] == "unsupported-media-type"


# --------------------------------------------------------------------------- size limit


def test_too_large_upload_gets_413_json():
    rec = Recorder()
    r = client(max_upload=1000, checker=rec).post("/api/check", files={"file": ("big.txt", b"x" * 40_000, "text/plain")})
    assert r.status_code == 413
    body = r.json()
    assert body["error"] == "upload-too-large" and body["limit"] == 1000
    assert "上传的内容太大" in body["message"] and "too large" in body["message_en"]
    assert rec.calls == []


def test_file_just_over_the_limit_is_refused_and_at_the_limit_accepted():
    rec = Recorder()
    c = client(max_upload=5000, checker=rec)
    assert c.post("/api/check", files={"file": ("a.txt", b"y" * 5000, "text/plain")}).status_code == 200
    assert c.post("/api/check", files={"file": ("a.txt", b"y" * 5001, "text/plain")}).status_code == 413
    assert len(rec.calls) == 1


def test_limit_is_enforced_while_reading_a_body_without_content_length():
    """A chunked body declares no length: the server must count what arrives."""
    rec = Recorder()
    boundary = "gov-lint-test"
    head = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
        "Content-Type: text/plain\r\n\r\n"
    ).encode()

    def chunks():
        yield head
        for _ in range(100):
            yield b"z" * 1000
        yield f"\r\n--{boundary}--\r\n".encode()

    r = client(max_upload=2000, checker=rec).post(
        "/api/check", content=chunks(), headers={"content-type": f"multipart/form-data; boundary={boundary}"}
    )
    assert r.status_code == 413 and r.json()["error"] == "upload-too-large"
    assert rec.calls == []


def test_too_large_form_upload_gets_a_readable_page():
    r = client(max_upload=1000, checker=Recorder()).post(
        "/check", data={"lang": "zh"}, files={"file": ("big.docx", b"x" * 40_000, "application/octet-stream")}
    )
    assert r.status_code == 413 and r.headers["content-type"].startswith("text/html")
    assert "上传的内容太大：上限是 1000 B" in r.text and "The upload is too large" in r.text
    assert 'href="/?lang=zh"' in r.text


def test_too_large_pasted_text_gets_413():
    r = client(max_upload=1000, checker=Recorder()).post("/api/check", data={"text": "字" * 600})
    assert r.status_code == 413


def test_nothing_is_written_to_disk(monkeypatch):
    """A 3 MB upload (past Starlette's 1 MB spooling threshold) never touches a file."""
    opened = []
    real_open = builtins.open

    def guarded_open(file, mode="r", *a, **k):
        if any(c in mode for c in "wax+"):
            opened.append((file, mode))
        return real_open(file, mode, *a, **k)

    def no_temp(*a, **k):
        opened.append(("tempfile", a))
        raise AssertionError("temporary file created")

    rec = Recorder()
    c = client(max_upload=5 * 1024 * 1024, checker=rec)
    monkeypatch.setattr(builtins, "open", guarded_open)
    for name in ("TemporaryFile", "NamedTemporaryFile", "SpooledTemporaryFile", "mkstemp", "mkdtemp"):
        monkeypatch.setattr(tempfile, name, no_temp)
    r = c.post("/api/check", files={"file": ("big.txt", b"7\t" * (1536 * 1024), "text/plain")})
    assert r.status_code == 200
    assert len(rec.calls[0][1]) == 3 * 1024 * 1024
    assert opened == []


# --------------------------------------------------------------------------- real checks of the examples


def _examples():
    out = []
    for p in sorted(EXAMPLES.glob("20*/*")):
        if p.suffix in READER and not p.stem.endswith("-web"):
            out.append(p)
    return out


def _skip_reason(path: Path) -> str | None:
    if importlib.util.find_spec("gov_lint.check") is None:
        return "gov_lint.check (check_bytes) is not in the tree yet"
    if importlib.util.find_spec(f"gov_lint.readers.{READER[path.suffix]}") is None:
        return f"no reader for {path.suffix}"
    need = NEEDS.get(path.suffix)
    if need and importlib.util.find_spec(need) is None:
        return f"{need} is not installed (reader for {path.suffix})"
    return None


EXAMPLE_FILES = _examples()


def test_examples_cover_every_upload_format():
    if not EXAMPLE_FILES:
        pytest.skip("examples/ has no reports")
    assert {p.suffix for p in EXAMPLE_FILES} >= {".txt", ".md", ".html", ".docx", ".pdf"}


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_api_check_every_example(path):
    reason = _skip_reason(path)
    if reason:
        pytest.skip(reason)
    r = client().post("/api/check", files={"file": (path.name, path.read_bytes(), "application/octet-stream")})
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["schema"] == "gov-lint/1"
    (f,) = body["files"]
    assert f["path"] == path.name and f["status"] == "checked", f
    assert f["template"] == path.parent.name
    errors = [x for x in f["findings"] if x["severity"] == "error"]
    if path.stem.startswith("clean"):
        assert errors == [], errors
    else:
        assert errors, "the broken example gave no errors"
    assert body["summary"]["files"] == 1 and body["summary"]["errors"] == len(errors)


def test_api_check_matches_the_cli_json():
    path = EXAMPLES / "2021" / "errors.txt"
    if not path.exists() or _skip_reason(path):
        pytest.skip(_skip_reason(path) or "examples/2021/errors.txt missing")
    cli = pytest.importorskip("gov_lint.cli")
    from typer.testing import CliRunner

    res = CliRunner().invoke(cli.app, ["check", "--format", "json", str(path)])
    assert res.exit_code in (0, 1), res.output
    from_cli = json.loads(res.stdout)
    from_web = client().post("/api/check", files={"file": (str(path), path.read_bytes(), "text/plain")}).json()
    assert from_web["schema"] == from_cli["schema"]
    assert from_web["files"][0]["findings"] == from_cli["files"][0]["findings"]
    assert from_web["summary"] == from_cli["summary"]


def test_form_upload_shows_the_html_report():
    path = EXAMPLES / "2021" / "errors.docx"
    if not path.exists() or _skip_reason(path):
        pytest.skip(_skip_reason(path) or "examples/2021/errors.docx missing")
    r = client().post("/check", data={"lang": "zh"}, files={"file": (path.name, path.read_bytes(), "application/octet-stream")})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert '<html lang="zh-CN">' in page and "检查另一个文件" in page
    assert "hit sev-error" in page and "发现的问题" in page
    assert "errors.docx" in page
    assert "http://" not in page and "https://" not in page


def test_pasted_text_shows_the_report_in_english():
    path = EXAMPLES / "2019" / "errors.txt"
    if not path.exists() or _skip_reason(path):
        pytest.skip(_skip_reason(path) or "examples/2019/errors.txt missing")
    text = path.read_bytes().decode("utf-8")
    r = client().post("/check", data={"lang": "en", "text": text})
    assert r.status_code == 200
    assert '<html lang="en">' in r.text and "pasted.txt" in r.text and "hit sev-error" in r.text


class _FakeSocket:
    def close(self):
        pass


def _no_server(monkeypatch):
    """Record where `serve` would listen; start nothing."""
    import uvicorn

    binds = []
    monkeypatch.setattr(web, "bind_socket", lambda host, port: binds.append((host, port)) or _FakeSocket())
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)
    return binds


def test_serve_binds_loopback_unless_told(monkeypatch):
    """`serve` listens on 127.0.0.1 by default, on an explicit --host with a warning (no server started)."""
    binds = _no_server(monkeypatch)
    said = []
    assert web.serve(echo=said.append) == 0
    assert binds[-1] == ("127.0.0.1", 8000)
    assert not any("警告" in s for s in said)
    assert web.serve(host="0.0.0.0", port=8123, max_upload="1MB", echo=said.append) == 0
    assert binds[-1] == ("0.0.0.0", 8123)
    assert any("警告" in s and "0.0.0.0" in s for s in said)


def test_cli_serve_command(monkeypatch):
    cli = pytest.importorskip("gov_lint.cli")
    from typer.testing import CliRunner

    binds = _no_server(monkeypatch)
    res = CliRunner().invoke(cli.app, ["serve", "--port", "8124"])
    assert res.exit_code == 0, res.output
    assert binds == [("127.0.0.1", 8124)]
    res = CliRunner().invoke(cli.app, ["serve", "--max-upload", "huge"])
    assert res.exit_code == 2


def test_unreadable_upload_is_reported_not_crashed():
    if importlib.util.find_spec("gov_lint.check") is None:
        pytest.skip("gov_lint.check is not in the tree yet")
    junk = bytes(range(256)) * 64
    r = client().post("/api/check", files={"file": ("乱码.bin", junk, "application/octet-stream")})
    assert r.status_code == 200
    (f,) = r.json()["files"]
    assert f["status"] in ("error", "skipped") and f["reason"]
    page = client().post("/check", data={"lang": "zh"}, files={"file": ("乱码.bin", junk, "application/octet-stream")})
    assert page.status_code == 200 and "此文件未能检查" in page.text and "乱码.bin" in page.text
