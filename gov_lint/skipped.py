"""Files a folder scan finds that are not reports: listed as skipped, with what they are.

Auditors scan archives that hold more than reports: the zip a report came in, the
Excel sheet of last year's statistics, scanned images.  Such a file is not read,
but it is listed (status `skipped`, a reason that says what kind of file it is)
and counted, so nobody wonders whether it was looked at.  A repository's own
configuration and scripts (.toml, .yml, .json, .py …) are not listed.  These files do not make
the run exit with 2: they are not reports that failed to be read.
"""

from __future__ import annotations

from pathlib import Path

from .messages import Message
from .model import FileResult

# suffix → (kind in Chinese, kind in English, what to do)
KINDS: dict[str, tuple[str, str]] = {}
for _suffixes, _zh, _en in (
    ((".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz"), "压缩包", "a compressed archive"),
    ((".xls", ".xlsx", ".xlsm", ".et", ".ods", ".csv"), "Excel 表格", "a spreadsheet"),
    ((".ppt", ".pptx", ".dps", ".odp"), "演示文稿", "a presentation"),
    ((".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp"), "图片", "an image"),
    ((".ofd",), "OFD 版式文件（暂不支持）", "an OFD document (not supported yet)"),
    ((".xml",), "数据文件", "a data file"),
    ((".exe", ".dll", ".bin"), "程序文件", "a program file"),
):
    for _s in _suffixes:
        KINDS[_s] = (_zh, _en)

# a repository's own configuration and scripts: not reports, and nobody expects them to be; not listed
QUIET = {".py", ".pyc", ".toml", ".yml", ".yaml", ".json", ".cfg", ".ini", ".lock", ".css", ".js", ".sh", ".bat",
         ".ps1", ".tsv", ".log", ".sarif", ".xml.bak"}


def listed(path: str) -> bool:
    """Whether a non-report file found in a folder is listed as skipped (not a config file or script)."""
    return Path(path).suffix.lower() not in QUIET


_HINT = {
    "压缩包": ("如其中有年报，请解压后再检查", "unpack it to check the reports inside"),
}


def reason(path: str, lang: str = "zh") -> str:
    """Why a file found in a folder is not checked, in the run's language."""
    suffix = Path(path).suffix.lower()
    zh, en = KINDS.get(suffix, (f"{suffix or '无扩展名'} 文件", f"a {suffix or 'suffix-less'} file"))
    hint_zh, hint_en = _HINT.get(zh, ("", ""))
    if lang == "en":
        return f"{en}, not a report" + (f"; {hint_en}" if hint_en else "")
    return f"{zh}，不是年报" + (f"；{hint_zh}" if hint_zh else "")


def skipped_result(path: str, lang: str = "zh") -> FileResult:
    """The result of a file that is not a report; its reason is data (rendered by each output)."""
    why = Message("text", {"zh": reason(path, "zh"), "en": reason(path, "en")})
    return FileResult(path=path, status="skipped", reason=why, template="unknown")
