"""Configuration: `[tool.gov-lint]` in pyproject.toml, or a `gov-lint.toml`.

Discovery: for each checked path in order (a folder itself, a file's folder),
walk up to the file-system root; in each folder `gov-lint.toml` is tried before
`pyproject.toml`, and a pyproject.toml counts only when it has a `[tool.gov-lint]`
table.  The first file found wins and holds for the whole run.  `--config FILE`
names the file instead; `--isolated` ignores every configuration file.

Precedence: command line > configuration file > defaults.  `--select` replaces the
file's `select`; `--ignore` and `--extend-select` add to the file's lists.

Rule selectors (codes `A101`, prefixes `A`, `A1`, kebab names, `ALL`) are accepted
in every key that takes codes.  An unknown key, selector or value raises
`ConfigError`, whose message carries a did-you-mean; the CLI exits 2 on it.

Globs are gitignore patterns, matched by the pathspec library.
Relative paths and globs (`exclude`, `per-file-ignores`, `cache-dir`,
`baseline`, `agency-map`) are relative to the folder of the configuration file
(the current folder when there is none or they come from the command line).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .tomlfile import tomllib

from rich.cells import cell_len

from .budget import DEFAULT_MAX_BYTES, DEFAULT_MAX_SECONDS, DEFAULT_MAX_STEPS, Limits, SizeError, parse_size
from .errors import UserError
from .model import SEVERITIES, Finding

CONFIG_FILENAME = "gov-lint.toml"
PYPROJECT = "pyproject.toml"
LANGS = ("zh", "en")

# key → (kind, default, Chinese description, English description)
KEYS: dict[str, tuple[str, Any, str, str]] = {
    "select": ("selectors", None, "启用的规则（代码、前缀或名称；默认全部）", "rules to enable (codes, prefixes or names; default: all)"),
    "extend-select": ("selectors", [], "在 select 之外再启用的规则", "rules enabled on top of select"),
    "ignore": ("selectors", [], "不检查的规则", "rules not to check"),
    "per-file-ignores": ("glob-selectors", {}, "按文件忽略的规则（glob → 规则）", "rules ignored per file (glob → rules)"),
    "severity": ("severity-map", {}, "调整严重级别（规则 → error|warning|info）", "severity overrides (rule → error|warning|info)"),
    "fail-on": ("severity", "error", "达到此级别的问题使退出码为 1", "findings at or above this level make the exit code 1"),
    "exclude": ("globs", [], "不检查的文件（glob）", "files not to check (globs)"),
    "lang": ("lang", "zh", "消息语言（zh|en）", "message language (zh|en)"),
    "jobs": ("jobs", 0, "并行进程数（0 = 自动）", "parallel processes (0 = automatic)"),
    "cache-dir": ("path", ".gov-lint-cache", "结果缓存目录", "result cache folder"),
    "baseline": ("path", None, "基线文件（只报告新问题）", "baseline file (report only new findings)"),
    "agency-map": ("path", None, "机关更名对照表（TOML 或 CSV）", "agency rename map (TOML or CSV)"),
    "max-file-size": ("size", DEFAULT_MAX_BYTES, "单个文件的大小上限（如 20MB），超过的不读取", "largest file to read (e.g. 20MB)"),
    "time-limit": ("seconds", DEFAULT_MAX_SECONDS, "检查单个文件的时间上限（秒，0 = 不限）", "time limit per file (seconds, 0 = none)"),
    "max-steps": ("count", DEFAULT_MAX_STEPS, "检查单个文件的步数上限（0 = 不限）", "work limit per file in steps (0 = none)"),
}

SOURCE_DEFAULT = "默认"
SOURCE_CLI = "命令行"


class ConfigError(UserError):
    """A configuration problem; the CLI prints `text(lang)` and exits 2."""


def _did_you_mean(word: str, choices: Iterable[str], lang: str) -> str:
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    if not close:
        # names differ mostly in case or separators: try a looser comparison
        folded = {c.lower().replace("_", "-"): c for c in choices}
        hit = folded.get(word.lower().replace("_", "-"))
        close = [hit] if hit else []
    if not close:
        return ""
    return f"，你是不是想写「{close[0]}」？" if lang == "zh" else f"; did you mean `{close[0]}`?"


def _err(zh: str, en: str, word: str | None = None, choices: Iterable[str] = ()) -> ConfigError:
    if word is not None:
        choices = list(choices)
        zh += _did_you_mean(word, choices, "zh")
        en += _did_you_mean(word, choices, "en")
    return ConfigError(zh, en)


# --------------------------------------------------------------------------- discovery


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"无法读取配置文件 {path}：{exc.strerror or exc}",
                          f"cannot read the configuration file {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise toml_syntax_error(path, exc) from None


_AT = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


def toml_syntax_error(path: Path, exc: Exception) -> ConfigError:
    """A TOML syntax error in Chinese: the file, the line and column, and the line itself."""
    m = _AT.search(str(exc))
    line = getattr(exc, "lineno", None) or (int(m.group(1)) if m and m.group(1) else None)
    col = getattr(exc, "colno", None) or (int(m.group(2)) if m and m.group(2) else None)
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    if line is None:  # "at end of document"
        line, col = max(1, len(lines)), None
    shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    where_zh = f"第 {line} 行" + (f"第 {col} 列" if col else "")
    where_en = f"line {line}" + (f", column {col}" if col else "")
    quote = f"：{shown}" if shown else ""
    quote_en = f": {shown}" if shown else ""
    return ConfigError(
        f"配置文件 {path} 的格式有误（{where_zh}{quote}）。请检查这一行和上一行的引号、括号、等号和逗号是否配对、齐全。",
        f"the configuration file {path} is not valid TOML ({where_en}{quote_en}): {exc}",
    )


def _table_of(path: Path) -> dict | None:
    """The gov-lint table of a config file, or None when the file has none."""
    doc = _read_toml(path)
    if path.name == PYPROJECT:
        tool = doc.get("tool", {})
        if "gov-lint" in tool:
            table = tool["gov-lint"]
        elif "gov_lint" in tool:
            table = tool["gov_lint"]
        else:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}：[tool.gov-lint] 应是一个表", f"{path}: [tool.gov-lint] must be a table")
        return table
    return doc


def _config_in(folder: Path) -> Path | None:
    for name in (CONFIG_FILENAME, PYPROJECT):
        candidate = folder / name
        if candidate.is_file() and (name == CONFIG_FILENAME or _table_of(candidate) is not None):
            return candidate
    return None


def find_config_file(start: str | Path) -> Path | None:
    """The configuration file that governs `start` (a file or folder), searching upward."""
    p = Path(start).resolve()
    folder = p if p.is_dir() else p.parent
    for candidate_dir in (folder, *folder.parents):
        found = _config_in(candidate_dir)
        if found:
            return found
    return None


def discover(paths: Iterable[str | Path]) -> Path | None:
    """The first configuration file found upward from the checked paths, in order."""
    paths = list(paths) or [Path.cwd()]
    for p in paths:
        found = find_config_file(p)
        if found:
            return found
    return None


# --------------------------------------------------------------------------- values


def _check_str_list(key: str, value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}：「{key}」应是字符串列表，例如 [\"A\", \"T101\"]",
                          f"{where}: `{key}` must be a list of strings, e.g. [\"A\", \"T101\"]")
    return [v.strip() for v in value if v.strip()]


def _check_value(key: str, value: Any, where: str) -> Any:
    kind = KEYS[key][0]
    if kind in ("selectors", "globs"):
        return _check_str_list(key, value, where)
    if kind == "glob-selectors":
        if not isinstance(value, dict):
            raise ConfigError(f"{where}：「{key}」应是表（glob = [规则…]）", f"{where}: `{key}` must be a table (glob = [rules…])")
        return {g: _check_str_list(f"{key}.{g}", v, where) for g, v in value.items()}
    if kind == "severity-map":
        if not isinstance(value, dict):
            raise ConfigError(f"{where}：「{key}」应是表（规则 = \"warning\"）", f"{where}: `{key}` must be a table (rule = \"warning\")")
        out = {}
        for sel, sev in value.items():
            out[sel] = _check_choice(f"{key}.{sel}", sev, SEVERITIES, where)
        return out
    if kind == "severity":
        return _check_choice(key, value, SEVERITIES, where)
    if kind == "lang":
        return _check_choice(key, value, LANGS, where)
    if kind == "jobs":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{where}：「{key}」应是非负整数（0 = 自动），而不是 {value!r}",
                              f"{where}: `{key}` must be a non-negative integer (0 = automatic), not {value!r}")
        return value
    if kind == "size":
        try:
            return parse_size(value)
        except SizeError as exc:
            raise ConfigError(f"{where}：「{key}」{exc.zh}", f"{where}: `{key}`: {exc.en}") from None
    if kind in ("seconds", "count"):
        ok = not isinstance(value, bool) and isinstance(value, (int, float) if kind == "seconds" else int) and value >= 0
        if not ok:
            raise ConfigError(f"{where}：「{key}」应是不小于 0 的数（0 = 不限），而不是 {value!r}",
                              f"{where}: `{key}` must be a number ≥ 0 (0 = no limit), not {value!r}")
        return value
    if kind == "path":
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where}：「{key}」应是路径字符串", f"{where}: `{key}` must be a path string")
        return value
    raise AssertionError(kind)  # pragma: no cover


def _check_choice(key: str, value: Any, choices: tuple[str, ...], where: str) -> str:
    if isinstance(value, str) and value.lower() in choices:
        return value.lower()
    shown = " | ".join(choices)
    raise _err(f"{where}：「{key}」的值 {value!r} 无效（可选：{shown}）",
               f"{where}: invalid value {value!r} for `{key}` (choose {shown})",
               str(value), choices)


# --------------------------------------------------------------------------- config


@dataclass
class Config:
    """Validated settings of one run, with where each came from."""

    values: dict[str, Any]
    sources: dict[str, str]
    file: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    cli_root: Path = field(default_factory=Path.cwd)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def limits(self) -> Limits:
        """The per-file size, time and step limits (budget.py)."""
        return Limits(max_bytes=self.values["max-file-size"], max_seconds=float(self.values["time-limit"]),
                      max_steps=self.values["max-steps"])

    def path_value(self, key: str) -> Path | None:
        """A path setting made absolute against the folder it was written relative to."""
        v = self.values.get(key)
        if v is None:
            return None
        # values from the command line and defaults (cache-dir: ".gov-lint-cache" in the
        # current folder) are relative to the current folder; the file's to the file's folder
        from_file = self.file is not None and self.sources.get(key) not in (SOURCE_CLI, SOURCE_DEFAULT)
        base = self.root if from_file else self.cli_root
        p = Path(v).expanduser()
        return p if p.is_absolute() else base / p

    def resolve(self, rules: Iterable[Any]) -> "Effective":
        """Check every selector against the rules of this run and compile the globs."""
        return Effective.build(self, list(rules))


def load_config(
    paths: Iterable[str | Path] = (),
    *,
    config_file: str | Path | None = None,
    isolated: bool = False,
    overrides: dict[str, Any] | None = None,
    cwd: str | Path | None = None,
) -> Config:
    """Find, read and validate the configuration; apply command-line `overrides`.

    `overrides` uses the file's keys (`"select"`, `"fail-on"`…); a value of None
    means "not given on the command line".
    """
    cli_root = Path(cwd) if cwd else Path.cwd()
    values = {k: (list(v[1]) if isinstance(v[1], list) else dict(v[1]) if isinstance(v[1], dict) else v[1]) for k, v in KEYS.items()}
    sources = {k: SOURCE_DEFAULT for k in KEYS}
    file: Path | None = None
    if config_file is not None:
        file = Path(config_file)
        if not file.is_file():
            raise ConfigError(f"找不到配置文件 {file}", f"configuration file {file} not found")
        file = file.resolve()
    elif not isolated:
        file = discover(paths)
    if file is not None:
        table = _table_of(file)
        if table is None:
            raise ConfigError(f"{file} 中没有 [tool.gov-lint] 表", f"{file} has no [tool.gov-lint] table")
        where = str(file)
        for key, value in table.items():
            if key not in KEYS:
                raise _err(f"{where}：未知的配置项「{key}」", f"{where}: unknown configuration key `{key}`", key, KEYS)
            values[key] = _check_value(key, value, where)
            sources[key] = where
    for key, value in (overrides or {}).items():
        if value is None or key not in KEYS:
            continue
        value = _check_value(key, value, SOURCE_CLI)
        if key in ("ignore", "extend-select") and sources[key] != SOURCE_DEFAULT:
            values[key] = values[key] + [v for v in value if v not in values[key]]
            sources[key] = f"{sources[key]} + {SOURCE_CLI}"
        else:
            values[key] = value
            sources[key] = SOURCE_CLI
    root = file.parent if file is not None else cli_root
    return Config(values=values, sources=sources, file=file, root=root, cli_root=cli_root)


# --------------------------------------------------------------------------- selectors


_PREFIX = re.compile(r"[A-Z]+\d*")


def expand_selector(selector: str, rules: list[Any], where: str = "") -> tuple[set[str], int]:
    """The codes a selector stands for, and its specificity (for severity overrides).

    Specificity: an exact code or name 100, a prefix its length, ALL 0.
    """
    s = selector.strip()
    codes = {r.code for r in rules}
    if s.upper() == "ALL":
        return set(codes), 0
    if s.upper() in codes:
        return {s.upper()}, 100
    for r in rules:
        if r.name == s.lower():
            return {r.code}, 100
    if _PREFIX.fullmatch(s.upper()):
        hit = {c for c in codes if c.startswith(s.upper())}
        if hit:
            return hit, len(s)
    choices = sorted(codes) + sorted(r.name for r in rules) + sorted({c[0] for c in codes})
    prefix = f"{where}：" if where else ""
    prefix_en = f"{where}: " if where else ""
    raise _err(f"{prefix}未知的规则「{selector}」（应是代码如 A101、前缀如 A 或名称）",
               f"{prefix_en}unknown rule `{selector}` (expected a code like A101, a prefix like A, or a name)",
               selector, choices)


def _compile_glob(pattern: str) -> Any:
    """gitignore globs (the pathspec library): `*` within a folder, `**` across folders,
    `?` one character, `[…]` a class; a pattern with a `/` inside is anchored at the
    base folder, a bare name matches at any depth, `name/` matches everything below."""
    import pathspec

    return pathspec.PathSpec.from_lines("gitignore", [pattern.replace("\\", "/")])


class GlobSet:
    """Globs relative to a base folder, matched against paths (absolute or relative to cwd)."""

    def __init__(self, patterns: Iterable[str], base: Path) -> None:
        self.patterns = list(patterns)
        self.base = base.resolve()
        self._specs = [_compile_glob(p) for p in self.patterns]
        base_text = str(self.base)
        # the base as a prefix of the paths below it (None for a root: those take the Path way)
        self._prefix = None if os.path.dirname(base_text) == base_text else os.path.normcase(base_text + os.sep)

    def rel(self, path: str | Path) -> str:
        """`path` relative to the base folder, with "/" (the path without its root when it is not
        under the base).  String operations for a path under the base (every file of a folder walk
        is matched against `exclude`); the same answer as `Path.relative_to` (`_rel_path`)."""
        absolute = os.path.normpath(os.path.join(os.getcwd(), path))  # join: cwd ignored for an absolute path
        if self._prefix is not None and os.path.normcase(absolute).startswith(self._prefix):
            return absolute[len(self._prefix):].replace(os.sep, "/")
        return self._rel_path(absolute)

    def _rel_path(self, absolute: str) -> str:
        p = Path(absolute)
        try:
            return p.relative_to(self.base).as_posix()
        except ValueError:
            return p.as_posix().lstrip("/")

    def matching(self, path: str | Path) -> list[int]:
        rel = self.rel(path)
        return [i for i, spec in enumerate(self._specs) if spec.match_file(rel)]

    def matches(self, path: str | Path) -> bool:
        return bool(self.matching(path))


@dataclass
class Effective:
    """The configuration resolved against the rules of this run."""

    config: Config
    selected: frozenset[str]
    severity: dict[str, str]  # code → severity
    per_file: list[tuple[GlobSet, frozenset[str]]]
    exclude: GlobSet

    @classmethod
    def build(cls, config: Config, rules: list[Any]) -> "Effective":
        def where(key: str) -> str:
            return f"{config.sources[key]}，{key}" if config.sources[key] != SOURCE_DEFAULT else key

        all_codes = {r.code for r in rules}
        if config["select"] is None:
            selected = set(all_codes)
        else:
            selected = set()
            for s in config["select"]:
                selected |= expand_selector(s, rules, where("select"))[0]
        for s in config["extend-select"]:
            selected |= expand_selector(s, rules, where("extend-select"))[0]
        from .rules.localise import LOCALISED_CODES, explainable_codes  # noqa: PLC0415 (only when configuring)

        if selected & explainable_codes():  # a localised wrong cell stands for the relations it explains
            selected |= LOCALISED_CODES & all_codes
        for s in config["ignore"]:
            selected -= expand_selector(s, rules, where("ignore"))[0]
        severity: dict[str, str] = {}
        rank: dict[str, int] = {}
        for sel, sev in config["severity"].items():
            codes, spec = expand_selector(sel, rules, where("severity"))
            for c in codes:
                if spec >= rank.get(c, -1):
                    severity[c], rank[c] = sev, spec
        per_file = []
        for glob, sels in config["per-file-ignores"].items():
            codes: set[str] = set()
            for s in sels:
                codes |= expand_selector(s, rules, f"{where('per-file-ignores')}.{glob}")[0]
            per_file.append((GlobSet([glob], config.root), frozenset(codes)))
        exclude_base = config.cli_root if config.sources["exclude"] == SOURCE_CLI else config.root
        return cls(config, frozenset(selected), severity, per_file, GlobSet(config["exclude"], exclude_base))

    # -- applied by the run ------------------------------------------------

    def ignored_for(self, path: str | Path) -> frozenset[str]:
        out: set[str] = set()
        for globs, codes in self.per_file:
            if globs.matches(path):
                out |= codes
        return frozenset(out)

    def apply(self, findings: list[Finding], path: str | Path) -> list[Finding]:
        """Per-file ignores and severity overrides, applied after the rules ran."""
        if not findings:  # most files of an archive: no glob to match
            return findings
        ignored = self.ignored_for(path) if self.per_file else frozenset()
        out = []
        for f in findings:
            if f.code in ignored:
                continue
            sev = self.severity.get(f.code)
            if sev and sev != f.severity:
                f.severity = sev  # type: ignore[assignment]
            out.append(f)
        return out

    def excluded(self, path: str | Path) -> bool:
        return bool(self.exclude.patterns) and self.exclude.matches(path)

    def rules_hash(self) -> str:
        """What changes the rules' output: the selected codes and the language."""
        payload = json.dumps({"selected": sorted(self.selected), "lang": self.config["lang"]}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()


# --------------------------------------------------------------------------- showing it


def _toml_value(v: Any) -> str:
    if v is None:
        return "# （未设置）"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(type(v))


def format_config(config: Config, lang: str = "zh", effective: Effective | None = None) -> str:
    """The effective configuration as TOML, each value commented with where it came from."""
    zh = lang != "en"
    src = (lambda s: s) if zh else (lambda s: {SOURCE_DEFAULT: "default", SOURCE_CLI: "command line"}.get(s, s.replace(SOURCE_CLI, "command line")))
    lines = ["# gov-lint 有效配置" if zh else "# gov-lint effective configuration"]
    if config.file:
        lines.append(("# 配置文件：" if zh else "# configuration file: ") + str(config.file))
    else:
        lines.append("# 未找到配置文件，使用默认值" if zh else "# no configuration file found; defaults apply")
    if effective is not None:
        lines.append((f"# 启用的规则：{len(effective.selected)} 条" if zh else f"# rules enabled: {len(effective.selected)}"))
    lines.append("")
    scalar = [k for k, v in KEYS.items() if v[0] not in ("glob-selectors", "severity-map")]
    width = max(cell_len(f"{k} = {_toml_value(config.values[k] if config.values[k] is not None else [])}") for k in scalar) + 4
    label = "来自" if zh else "from"
    unset = "（未设置）" if zh else "(not set)"
    for k in scalar:
        v = config.values[k]
        if k == "select" and v is None:
            v = ["ALL"]  # what "not set" means
        text = f"{k} = {_toml_value(v)}" if v is not None else f"# {k} = {unset}"
        where = f"# {label}: {src(config.sources[k])}"
        if KEYS[k][0] == "path" and v is not None:
            where += f" → {config.path_value(k)}"
        lines.append(f"{text}{' ' * max(1, width - cell_len(text))}  {where}")
    for k in ("per-file-ignores", "severity"):
        lines.append("")
        lines.append(f"[{k}]  # {label}: {src(config.sources[k])}")
        for key, v in config.values[k].items():
            lines.append(f"{json.dumps(key, ensure_ascii=False)} = {_toml_value(v)}")
    return "\n".join(lines) + "\n"
