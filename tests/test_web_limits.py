"""`gov-lint serve` under load and abuse (issue 13 part 5): time limit, concurrency, content
types, upload names, no network, loopback by default, a busy port, a bad --max-upload."""

from __future__ import annotations

import socket
import threading

import pytest

from gov_lint import web

pytest.importorskip("starlette", reason="the web extra is not installed")
pytest.importorskip("python_multipart", reason="the web extra is not installed")
pytest.importorskip("httpx", reason="starlette's TestClient needs httpx")

from starlette.testclient import TestClient  # noqa: E402

REPORT = "关于2023年度政府信息公开工作年度报告\n一、总体情况\n本年度主动公开信息12条。\n".encode()


class Recorder:
    def __init__(self, hold: threading.Event | None = None):
        self.calls: list[tuple[str, bytes, str]] = []
        self.hold = hold
        self.entered = threading.Event()

    def __call__(self, name, data, lang):
        from gov_lint.model import FileResult

        self.calls.append((name, data, lang))
        self.entered.set()
        if self.hold is not None:
            self.hold.wait(30)
        return FileResult(path=name, status="checked", template="2021", year=2023)


def upload(c: TestClient, name: str = "r.txt", data: bytes = REPORT):
    return c.post("/api/check", files={"file": (name, data, "text/plain")})


def codes(response) -> list[str]:
    return [f["code"] for f in response.json()["files"][0]["findings"]]


def test_a_check_that_never_ends_is_stopped_by_the_time_limit(monkeypatch):
    """The real checker runs under the per-request time limit: a parser that loops forever
    gives a P006 finding, not a held worker (the watchdog of a non-main thread)."""
    import gov_lint.check as check_mod

    def forever(doc):
        while True:
            pass

    monkeypatch.setattr(check_mod, "parse", forever)
    c = TestClient(web.create_app(time_limit=0.5))
    r = upload(c)
    assert r.status_code == 200
    assert codes(r) == ["P006"]


def test_concurrent_checks_are_limited_and_the_extra_one_is_told_busy():
    hold = threading.Event()
    rec = Recorder(hold)
    app = web.create_app(checker=rec, max_concurrent=1, queue_wait=0.2)
    with TestClient(app) as c:
        first: list = []
        t = threading.Thread(target=lambda: first.append(upload(c)))
        t.start()
        assert rec.entered.wait(10)
        second = upload(c)
        assert second.status_code == 503 and second.json()["error"] == "busy"
        assert "请过一会儿再试" in second.json()["message"]
        html = c.post("/check", files={"file": ("r.txt", REPORT, "text/plain")})
        assert html.status_code == 503 and "请过一会儿再试" in html.text
        hold.set()
        t.join(10)
        assert first[0].status_code == 200
        assert upload(c).status_code == 200  # the slot is free again
    assert len(rec.calls) == 2


@pytest.mark.parametrize("ctype, body", [("application/json", b"{}"), ("text/plain", REPORT),
                                         ("application/octet-stream", REPORT), ("", REPORT)])
def test_only_forms_are_accepted(ctype, body):
    rec = Recorder()
    c = TestClient(web.create_app(checker=rec))
    r = c.post("/api/check", content=body, headers={"content-type": ctype} if ctype else {})
    assert r.status_code == 415 and r.json()["error"] == "unsupported-media-type"
    r = c.post("/check", content=body, headers={"content-type": ctype} if ctype else {})
    assert r.status_code == 415 and "只接受" in r.text
    assert rec.calls == []


@pytest.mark.parametrize("name, kept", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("/etc/hostname", "hostname"),
    ("C:\\Users\\a\\报告.docx", "报告.docx"),
    ("..", "upload.txt"),
    ("a\x00b\r\n.txt", "ab.txt"),
    ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
])
def test_upload_names_are_bare_names(name, kept):
    assert web.safe_name(name) == kept
    if any(ord(ch) < 32 for ch in name):
        return  # a multipart header cannot carry these: the unit check above is the test
    rec = Recorder()
    c = TestClient(web.create_app(checker=rec))
    assert upload(c, name).status_code == 200
    assert rec.calls[0][0] == kept and "/" not in kept and "\\" not in kept


def test_an_upload_named_like_a_local_file_is_never_read_from_disk(tmp_path, monkeypatch):
    """The checked bytes are the upload's, whatever file its name points at."""
    secret = tmp_path / "secret.txt"
    secret.write_text("机密 " * 100, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    c = TestClient(web.create_app())
    r = upload(c, str(secret), b"")
    assert r.status_code == 200
    f = r.json()["files"][0]
    assert f["path"] == "secret.txt" and [x["code"] for x in f["findings"]] == ["P004"]  # the empty upload


def test_no_network_while_checking(monkeypatch):
    """The budget's audit hook refuses connections made during a check, in the server's threads too."""
    import gov_lint.check as check_mod
    from gov_lint.budget import NetworkRefused

    seen = []
    real = check_mod.parse

    def reaching_out(doc):
        try:
            socket.create_connection(("127.0.0.1", 9), timeout=1)
            seen.append("connected")
        except NetworkRefused:
            seen.append("refused")
        return real(doc)

    monkeypatch.setattr(check_mod, "parse", reaching_out)
    c = TestClient(web.create_app())
    assert upload(c).status_code == 200
    assert seen == ["refused"]


def test_readers_do_not_follow_external_references():
    """An HTML page with remote resources and an external DTD is read without any network event."""
    import sys

    from gov_lint.check import check_bytes

    events: list[str] = []
    active = [True]
    sys.addaudithook(lambda e, a: events.append(e) if active[0] and e.startswith(("socket.", "urllib.")) else None)
    page = ('<!DOCTYPE html SYSTEM "http://example.invalid/x.dtd"><html><head>'
            '<link rel="stylesheet" href="http://example.invalid/a.css"></head><body>'
            '<img src="http://example.invalid/a.png"><p>一、总体情况</p></body></html>').encode()
    check_bytes("a.html", page)
    active[0] = False
    assert events == []


def test_default_bind_is_loopback():
    assert web.bind_address(None)[0] == "127.0.0.1"


def test_a_busy_port_is_a_chinese_message_and_exit_2():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        said: list[str] = []
        assert web.serve(port=port, echo=said.append) == 2
    first = said[-1].splitlines()[0]
    assert f"端口 {port} 已被其他程序占用" in first and "--port" in first
    assert "Errno" not in said[-1] and "Address already in use" not in said[-1]


@pytest.mark.parametrize("size", ["huge", "10XB", "0", "-5MB"])
def test_a_bad_max_upload_is_a_chinese_message(size):
    said: list[str] = []
    assert web.serve(max_upload=size, echo=said.append) == 2
    zh = said[0].splitlines()[0]
    assert zh.startswith("错误：--max-upload 的值无效")
    assert "not a size" not in zh and "must be" not in zh


def test_a_check_stuck_where_the_watchdog_cannot_reach_is_answered_anyway():
    """A checker that ignores the budget (a long C call) still gets a timely 503 answer,
    and keeps its slot until it ends, so the concurrency limit holds."""
    hold = threading.Event()
    rec = Recorder(hold)
    app = web.create_app(checker=rec, time_limit=0.01, max_concurrent=1, queue_wait=0.1)  # backstop: 5.04 s
    with TestClient(app) as c:
        r = upload(c)
        assert r.status_code == 503 and r.json()["error"] == "time-limit"
        assert "已放弃" in r.json()["message"]
        assert upload(c).status_code == 503 and rec.calls  # the stuck check still holds the only slot
        hold.set()
