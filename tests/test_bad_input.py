"""Bad input: every file gets a clear result naming it and the reason; no traceback,
the other files are still checked, and no input file is ever modified.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from gov_lint.check import check_bytes, check_path

ROOT = Path(__file__).resolve().parents[1]
BASE = (Path(__file__).resolve().parent / "rule_cases" / "base" / "2021.txt").read_text(encoding="utf-8")
# the same synthetic report with two deliberate errors: a row total (A100, localised) and a unit (A121)
BROKEN = BASE.replace("\t150\t12\t2\t3\t4\t6\t177", "\t150\t12\t2\t3\t4\t6\t178").replace("行政处罚\t14", "行政处罚\t14件")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
NOT_A_REPORT = "关于开展春季植树活动的通知\n\n各村、各站所：\n\n定于下周六上午组织植树，请各单位安排人员参加。\n"


def random_bytes(n: int = 4000, seed: int = 7) -> bytes:
    rnd = random.Random(seed)
    return bytes(rnd.randrange(256) for _ in range(n))


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "gov_lint.cli", *args], cwd=cwd, env=env,
        capture_output=True, text=True, encoding="utf-8", timeout=120,
    )


def _finding_keys(result) -> list[tuple]:
    return sorted(
        (f.code, f.table, f.row, f.column, f.location.line if f.location else None, f.location.column if f.location else None)
        for f in result.findings
        if f.code[0] in "PA" or f.code[:2] == "T1"
    )


# --------------------------------------------------------------------------- single files


@pytest.mark.parametrize(
    ("name", "data", "status", "code", "reason_words"),
    [
        ("empty.txt", b"", "skipped", "P004", "空"),
        ("blank.txt", b"\n \n\t\n", "skipped", "P004", "空"),
        ("image.txt", PNG, "error", "P001", "二进制"),
        ("noise.txt", random_bytes(), "error", "P001", "二进制"),
        ("notice.txt", NOT_A_REPORT.encode("utf-8"), "skipped", "P003", "不是政府信息公开工作年度报告"),
        ("fake.docx", b"PK\x03\x04 this is not a zip", "error", "P001", "DOCX"),
    ],
)
def test_bad_file_gets_a_reason(name, data, status, code, reason_words):
    result = check_bytes(name, data)
    assert result.path == name
    assert result.status == status
    assert result.reason_text() and reason_words in result.reason_text()
    assert [f.code for f in result.findings] == [code]
    assert result.findings[0].text() == result.reason_text()
    assert result.findings[0].path == name


def test_bad_file_reason_in_english():
    result = check_bytes("empty.txt", b"", __import__("gov_lint.check", fromlist=["CheckOptions"]).CheckOptions(lang="en"))
    assert result.reason_text("en") == "empty file"


def test_nonexistent_path(tmp_path):
    missing = tmp_path / "no-such-report.txt"
    result = check_path(missing)
    assert result.status == "error"
    assert result.path == str(missing)
    assert [f.code for f in result.findings] == ["P001"]
    assert "不存在" in result.reason_text()


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("gbk.txt", lambda t: t.encode("gbk")),
        ("gb18030.txt", lambda t: t.encode("gb18030")),
        ("utf8-bom.txt", lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")),
        ("utf16-bom.txt", lambda t: t.encode("utf-16")),  # BOM + native order
        ("utf16-be-bom.txt", lambda t: b"\xfe\xff" + t.encode("utf-16-be")),
        ("crlf.txt", lambda t: t.replace("\n", "\r\n").encode("utf-8")),
        ("crlf-gbk.txt", lambda t: t.replace("\n", "\r\n").encode("gbk")),
    ],
)
def test_encodings_and_newlines_read_like_utf8(name, encode):
    """The same report in another encoding or with CRLF gives the same findings at the same places."""
    want = check_bytes("utf8.txt", BROKEN.encode("utf-8"))
    got = check_bytes(name, encode(BROKEN))
    assert got.status == "checked", got.reason_text()
    assert (got.template, got.year, got.agency) == (want.template, want.year, want.agency)
    assert _finding_keys(got) == _finding_keys(want)
    assert {"A100", "A121"} <= {f.code for f in got.findings}
    assert not any(f.code == "P002" for f in got.findings)


def test_truncated_report_says_what_is_missing():
    cut = BASE[: BASE.index("\t\t6. 属于四类过程性信息")]
    result = check_bytes("truncated.txt", cut.encode("utf-8"))
    assert result.status == "checked"
    codes = {f.code for f in result.findings}
    assert "P102" in codes  # rows 6. … 四 of section 三 are missing
    assert "P101" in codes  # section 四's table is gone
    assert not any(c.startswith("A") for c in codes), [f.text() for f in result.findings]


def test_truncated_mid_row():
    cut = BASE[: BASE.index("\t\t6. 属于四类过程性信息") + len("\t\t6. 属于四类过程性信息\t0\t0\t0")]
    result = check_bytes("truncated.txt", cut.encode("utf-8"))
    assert result.status == "checked"
    assert not any(f.code.startswith("A") for f in result.findings)
    assert any(f.code == "P103" and f.table == "三" for f in result.findings)


def test_check_path_never_writes(tmp_path):
    files = {
        "report.txt": BROKEN.encode("utf-8"),
        "gbk.txt": BROKEN.encode("gbk"),
        "crlf.txt": BROKEN.replace("\n", "\r\n").encode("utf-8"),
        "empty.txt": b"",
        "image.txt": PNG,
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        os.utime(tmp_path / name, (1_000_000_000, 1_000_000_000))
    for name in files:
        check_path(tmp_path / name)
    for name, data in files.items():
        p = tmp_path / name
        assert p.read_bytes() == data
        assert p.stat().st_mtime == 1_000_000_000
    assert sorted(x.name for x in tmp_path.iterdir()) == sorted(files)


# --------------------------------------------------------------------------- the CLI over a folder


@pytest.fixture()
def mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "a-good.txt").write_text(BASE, encoding="utf-8")
    (folder / "b-errors.txt").write_bytes(BROKEN.encode("gbk"))
    (folder / "c-broken.docx").write_bytes(b"PK\x03\x04 broken")
    (folder / "d-empty.txt").write_bytes(b"")
    (folder / "sub" / "e-image.txt").write_bytes(PNG)
    (folder / "sub" / "f-notice.md").write_text(NOT_A_REPORT, encoding="utf-8")
    (folder / "sub" / "g-good.md").write_text(BASE, encoding="utf-8")
    (folder / "photo.png").write_bytes(PNG)  # not a report file kind: listed as skipped, not read (issue 12.5)
    for p in folder.rglob("*"):
        if p.is_file():
            os.utime(p, (1_000_000_000, 1_000_000_000))
    return folder


def _snapshot(folder: Path) -> dict:
    return {str(p): (p.read_bytes(), p.stat().st_mtime) for p in folder.rglob("*") if p.is_file()}


def test_cli_folder_with_broken_files(mixed_folder: Path):
    before = _snapshot(mixed_folder)
    proc = run_cli("check", str(mixed_folder), "--format", "json", "--no-cache", "--jobs", "1", "--isolated",
                   "--select", "P,T1,A")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    data = json.loads(proc.stdout)
    by_name = {Path(f["path"]).name: f for f in data["files"]}
    assert sorted(by_name) == ["a-good.txt", "b-errors.txt", "c-broken.docx", "d-empty.txt", "e-image.txt",
                               "f-notice.md", "g-good.md", "photo.png"]
    assert (by_name["photo.png"]["status"], by_name["photo.png"]["findings"]) == ("skipped", [])
    assert by_name["photo.png"]["reason"].startswith("图片")
    assert by_name["a-good.txt"]["status"] == "checked" and by_name["a-good.txt"]["findings"] == []
    assert by_name["g-good.md"]["status"] == "checked" and by_name["g-good.md"]["findings"] == []
    errors = by_name["b-errors.txt"]
    assert errors["status"] == "checked"
    assert {"A100", "A121"} <= {x["code"] for x in errors["findings"]}
    for name, status, code in [("c-broken.docx", "error", "P001"), ("d-empty.txt", "skipped", "P004"),
                               ("e-image.txt", "error", "P001"), ("f-notice.md", "skipped", "P003")]:
        f = by_name[name]
        assert f["status"] == status, name
        assert f["reason"], name
        assert [x["code"] for x in f["findings"]] == [code], name
    s = data["summary"]
    assert (s["files"], s["checked"], s["skipped"]) == (8, 3, 5)
    assert _snapshot(mixed_folder) == before


def test_cli_folder_full_output_names_each_bad_file(mixed_folder: Path):
    proc = run_cli("check", str(mixed_folder), "--no-cache", "--jobs", "1", "--isolated", "--select", "P,T1,A", "--quiet")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    out = proc.stdout
    for name, words in [("c-broken.docx", "DOCX"), ("d-empty.txt", "文件为空"), ("e-image.txt", "二进制"),
                        ("f-notice.md", "不是政府信息公开工作年度报告")]:
        line = next((ln for ln in out.splitlines() if str(mixed_folder) in ln and name in ln and words in ln), None)
        assert line is not None, f"no line naming {name} with its reason:\n{out}"
    assert "5 个文件未检查" in out and "photo.png: 图片，不是年报" in out


def test_cli_exit_codes_without_fail_on_skip(mixed_folder: Path):
    proc = run_cli("check", str(mixed_folder), "--no-cache", "--jobs", "1", "--isolated", "--select", "P,T1,A",
                   "--no-fail-on-skip", "--format", "concise")
    assert proc.returncode == 1  # the errors in b-errors.txt
    assert "Traceback" not in proc.stderr


def test_cli_parallel_run_gives_the_same_results(mixed_folder: Path):
    args = ["check", str(mixed_folder), "--no-cache", "--isolated", "--select", "P,T1,A", "--format", "json"]
    one = json.loads(run_cli(*args, "--jobs", "1").stdout)
    two = json.loads(run_cli(*args, "--jobs", "2").stdout)
    assert one["files"] == two["files"]


def test_cli_nonexistent_path(tmp_path: Path):
    missing = tmp_path / "missing.txt"
    proc = run_cli("check", str(missing), "--no-cache", "--isolated", "--format", "concise")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"{missing}: P001" in proc.stdout
    assert "不存在" in proc.stdout


def test_cli_folder_without_report_files(tmp_path: Path):
    (tmp_path / "photo.png").write_bytes(PNG)
    (tmp_path / "data.bin").write_bytes(random_bytes(100))
    proc = run_cli("check", str(tmp_path), "--no-cache", "--isolated")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert str(tmp_path) in proc.stderr
    assert "没有找到要检查的文件" in proc.stderr


def test_cli_extract_bad_file(tmp_path: Path):
    (tmp_path / "image.txt").write_bytes(PNG)
    proc = run_cli("extract", str(tmp_path / "image.txt"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "image.txt" in proc.stderr


def test_cli_folder_with_dangling_link(tmp_path: Path):
    """A report file that is a link to nothing is reported (P001), not silently left out."""
    (tmp_path / "good.txt").write_text(BASE, encoding="utf-8")
    try:
        (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    except (OSError, NotImplementedError):
        pytest.skip("symlinks not available")
    proc = run_cli("check", str(tmp_path), "--no-cache", "--jobs", "1", "--isolated", "--select", "P", "--format", "json")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    files = {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}
    assert files["good.txt"]["status"] == "checked"
    assert files["gone.txt"]["status"] == "error"
    assert [x["code"] for x in files["gone.txt"]["findings"]] == ["P001"]


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_few_broken_bytes_are_a_warning(encoding):
    """One stray byte in a UTF-8 or a GBK file: read in that encoding, P002, findings as usual."""
    data = BROKEN.encode(encoding)
    at = data.index("五、".encode(encoding))
    result = check_bytes(f"broken-byte-{encoding}.txt", data[:at] + b"\xff" + data[at:])
    assert result.status == "checked", result.reason_text()
    want = check_bytes("utf8.txt", BROKEN.encode("utf-8"))
    assert [k for k in _finding_keys(result) if k[0] != "P002"] == _finding_keys(want)
    (p002,) = [f for f in result.findings if f.code == "P002"]
    assert ("gb18030" if encoding == "gbk" else "utf-8") in p002.text()
