"""The `gov-lint` command line (typer).

    gov-lint check PATH…      check reports (files or folders, recursively)
    gov-lint rules            list the rules
    gov-lint explain CODE     one rule's documentation
    gov-lint extract PATH…    the parsed tables as JSON or CSV
    gov-lint config [PATH]    the effective configuration
    gov-lint baseline PATH…   record today's findings so CI reports only new ones
    gov-lint report --from F  re-render saved JSON results in another format
    gov-lint serve            a local web page (extra gov-lint[web])

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 a usage
or configuration error, or a file that could not be read or is not a report
(unless --no-fail-on-skip); 3 gov-lint itself failed on a file (P900/P902, an
internal error to report; --verbose shows the traceback).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator, List, NoReturn, Optional

import typer

from . import __version__
from .options import INTERNAL_CODES, CheckOptions
from .config import Config, ConfigError, Effective, load_config
from .model import SEVERITY_RANK, FileResult
from .output import DRAWS_TABLES, FORMATS
from .output.base import RenderOptions, Summary
from .readers import SUFFIXES
from .rules.registry import all_rules
from .skipped import listed, skipped_result

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="gov-lint：政府信息公开工作年度报告一致性检查（勾稽关系、表格、格式）。Consistency linter for annual disclosure reports.",
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gov-lint {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_callback(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本 / show the version"),
) -> None:
    """gov-lint"""


def _auto_color() -> bool:
    """Colour on a terminal, never when NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def fail(message: str) -> None:
    """A usage or configuration error: message on stderr, exit 2."""
    typer.echo(f"gov-lint: {message}", err=True)
    raise typer.Exit(2)


def _split(values: Optional[List[str]]) -> Optional[list[str]]:
    if not values:
        return None
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


# --------------------------------------------------------------------------- files


# A folder's own documentation is not a report: skipped when walking folders
# (a file named on the command line is always checked).
NOT_REPORTS = ("readme", "changelog", "license", "licence", "contributing", "authors", "notice")


def _suffix(name: str) -> str:
    """A file name's suffix as `Path.suffix` gives it ("" for "README", ".bashrc" and "a.")."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def _walk(root: Path, others: list[str] | None = None) -> list[str]:
    """The files a folder walk picks up below `root`: a report suffix, not hidden (no part of the path
    below `root` starts with "."), not the folder's own docs; a dangling link too (it is reported,
    P001, not lost).  Other visible files (zip, Excel, images …) go to `others`, to be listed as
    skipped.  Paths are spelled as `root.rglob` spells them; folders are entered as it enters them
    (not through links; one that cannot be read is passed over).  One `os.scandir` per folder and
    plain strings: no Path object per file."""
    found: list[str] = []
    top = str(root)
    folders = [top]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except PermissionError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            path = name if folder == "." else os.path.join(folder, name)
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                folders.append(path)
                continue
            try:
                is_file = entry.is_file()
            except OSError:  # a link to itself (ELOOP): not a file, and reported as a link that leads nowhere
                is_file = False
            if not (is_file or (entry.is_symlink() and not os.path.exists(path))):
                continue
            suffix = _suffix(name)
            if name[:len(name) - len(suffix)].lower().startswith(NOT_REPORTS):
                continue
            if suffix.lower() not in SUFFIXES:
                if others is not None and listed(path):
                    others.append(path)
                continue
            found.append(path)
    return found


def collect(paths: Iterable[Path], excluded=None, others: list[str] | None = None) -> list[str]:
    """Files to check: the given files, and report files found in given folders (sorted).
    Files of other kinds found in folders are added to `others` (sorted, after exclusion)."""
    out: list[str] = []
    for p in paths:
        if p.is_dir():
            seen: list[str] = []
            found = sorted(_walk(p, seen))
            out.extend(f for f in found if not (excluded and excluded(f)))
            if others is not None:
                others.extend(sorted(f for f in seen if not (excluded and excluded(f))))
        else:
            out.append(str(p))  # a missing file is reported by the checker (P001)
    return out


# --------------------------------------------------------------------------- check


@app.command()
def check(
    paths: List[Path] = typer.Argument(..., help="报告文件或文件夹 / report files or folders"),
    select: Optional[List[str]] = typer.Option(None, "--select", help="只检查这些规则（代码、前缀或名称，逗号分隔）"),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", help="在配置之外再启用的规则"),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="不检查这些规则"),
    fmt: str = typer.Option("full", "--format", "-f", help="输出格式：full|concise|json|json-lines|sarif|github|gitlab|junit|csv|summary|summary-csv|html"),
    outputs: Optional[List[str]] = typer.Option(None, "--output", "-o", help="另存一种格式：FORMAT:PATH（可重复）"),
    lang: Optional[str] = typer.Option(None, "--lang", help="消息语言 zh|en（默认 zh）"),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="有问题也以 0 退出"),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="达到此级别才以 1 退出：error|warning|info"),
    fail_on_skip: bool = typer.Option(True, "--fail-on-skip/--no-fail-on-skip", help="有文件无法读取或不是年报时以 2 退出"),
    statistics: bool = typer.Option(False, "--statistics", help="按规则统计问题数"),
    config_file: Optional[Path] = typer.Option(None, "--config", help="配置文件（默认向上查找 pyproject.toml / gov-lint.toml）"),
    isolated: bool = typer.Option(False, "--isolated", help="忽略所有配置文件"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="并行进程数（默认：文件多时用全部核心）"),
    no_cache: bool = typer.Option(False, "--no-cache", help="不使用结果缓存"),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="结果缓存目录"),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="基线文件：只报告其中没有的问题"),
    agency_map: Optional[Path] = typer.Option(None, "--agency-map", help="机关更名对照表（跨年度检查用）"),
    published: Optional[str] = typer.Option(None, "--published", help="发布日期 YYYY-MM-DD（检查发布时限）"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不显示进度条"),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="强制开启或关闭颜色"),
    max_file_size: Optional[str] = typer.Option(None, "--max-file-size", help="单个文件的大小上限，如 20MB（超过的不读取）"),
    time_limit: Optional[float] = typer.Option(None, "--time-limit", help="检查单个文件的时间上限（秒，0 = 不限）"),
    max_steps: Optional[int] = typer.Option(None, "--max-steps", help="检查单个文件的步数上限（0 = 不限）"),
    executor: str = typer.Option("local", "--executor", help="在哪里检查：local（本机进程）| dask（Dask 集群，需 gov-lint[dask]）"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="--executor dask：已有 Dask 集群的调度器地址（默认在本机启动）"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="gov-lint 内部出错时显示完整的出错信息（traceback）"),
) -> None:
    """检查年报 / check reports."""
    overrides = {
        **_limit_overrides(max_file_size, time_limit, max_steps),
        "select": _split(select),
        "extend-select": _split(extend_select),
        "ignore": _split(ignore),
        "fail-on": fail_on,
        "lang": lang,
        "jobs": jobs,
        "cache-dir": str(cache_dir) if cache_dir else None,
        "baseline": str(baseline) if baseline else None,
        "agency-map": str(agency_map) if agency_map else None,
    }
    setup = _setup(paths, overrides, config_file, isolated, fmt, outputs, statistics, color, published, no_cache)
    setup.executor = _executor(executor, scheduler, jobs, setup.lang)
    setup.options = replace(setup.options, verbose=verbose)
    summary = _run(setup, quiet)
    _exit(summary, setup, exit_zero, fail_on_skip)


def _limit_overrides(max_file_size: Optional[str], time_limit: Optional[float], max_steps: Optional[int]) -> dict:
    """The per-file limits given on the command line, as config overrides (budget.py)."""
    return {"max-file-size": max_file_size, "time-limit": time_limit, "max-steps": max_steps}


@dataclass
class _Setup:
    """Everything a check run needs, resolved from the options and the config."""

    config: Config
    effective: Effective
    options: CheckOptions
    files: list[str]
    fmt: str
    outputs: list[str]
    render: RenderOptions
    lang: str
    no_cache: bool
    others: list[str] = None  # files in the folders that are not reports (zip, Excel …): listed as skipped
    executor: object = None  # dask_executor.DaskExecutor for --executor dask


def _executor(name: str, scheduler: Optional[str], jobs: Optional[int], lang: str):
    """None for local processes, else the Dask executor (`gov-lint[dask]`)."""
    if name not in ("local", "dask"):
        fail(f"未知的 --executor {name}（可用：local、dask）" if lang != "en" else f"unknown --executor {name} (local, dask)")
    if name == "local" and not scheduler:  # --scheduler alone means dask
        return None
    from .dask_executor import DaskExecutor, available

    if not available():
        fail('--executor dask 需要安装可选组件：pip install "gov-lint[dask]"' if lang != "en"
             else '--executor dask needs the optional extra: pip install "gov-lint[dask]"')
    return DaskExecutor(scheduler=scheduler, workers=jobs)


def _setup(paths, overrides, config_file, isolated, fmt, outputs, statistics, color, published, no_cache) -> _Setup:
    rules = all_rules()
    lang_guess = overrides.get("lang") or "zh"
    try:
        config = load_config(paths, config_file=config_file, isolated=isolated, overrides=overrides)
        effective = config.resolve(list(rules))
    except ConfigError as exc:
        fail(exc.text(lang_guess))
    lang = config["lang"]
    if fmt not in FORMATS:
        import difflib

        close = difflib.get_close_matches(fmt, list(FORMATS), n=1)
        hint = (f"，是不是 {close[0]}？" if lang != "en" else f"; did you mean {close[0]}?") if close else ""
        fail((f"未知的输出格式 {fmt}{hint}" if lang != "en" else f"unknown format {fmt}{hint}"))
    options = CheckOptions(lang=lang, selected=effective.selected, published=published, limits=config.limits())
    others: list[str] = []
    files = collect(paths, effective.excluded, others)
    if not files:
        where = "、".join(str(p) for p in paths)
        kinds = " ".join(sorted(SUFFIXES))
        fail(f"没有找到要检查的文件：{where} 中没有年报文件（{kinds}）" if lang != "en"
             else f"no files to check: {', '.join(str(p) for p in paths)} holds no report files ({kinds})")
    render = RenderOptions(
        lang=lang,
        color=bool(color) if color is not None else _auto_color(),
        statistics=statistics,
        tool_version=__version__,
        rules=rules,
    )
    return _Setup(config=config, effective=effective, options=options, files=files, fmt=fmt, outputs=outputs or [],
                  render=render, lang=lang, no_cache=no_cache, others=others)


def _draws_tables(setup: _Setup) -> bool:
    """True when an output of the run draws the tables (html): only then are they read from the cache."""
    from .output.multi import OutputSpecError, parse_output

    names = [setup.fmt]
    for spec in setup.outputs:
        try:
            names.append(parse_output(spec, setup.lang, FORMATS)[0])
        except OutputSpecError:
            return True  # reported when the outputs are opened
    return not DRAWS_TABLES.isdisjoint(names)


def _run(setup: _Setup, quiet: bool) -> Summary:
    from .baseline import BaselineError, BaselineFilter, load as load_baseline
    from .cache import cache_salt
    from .output.multi import OutputSpecError, open_outputs
    from .runner import Run, WorkerSpec, default_jobs, quiet_collector, want_progress

    config, effective, lang = setup.config, setup.effective, setup.lang
    baseline_filter = None
    if config["baseline"]:
        try:
            baseline_filter = BaselineFilter(load_baseline(config.path_value("baseline")))
        except BaselineError as exc:
            fail(exc.text(lang))
    agency_map = None
    if config["agency-map"]:
        from .agency import AgencyMap, AgencyMapError

        try:
            agency_map = AgencyMap.load(config.path_value("agency-map"))
        except AgencyMapError as exc:
            fail(exc.text(lang))
    jobs = config["jobs"] or default_jobs(len(setup.files))
    # every output draws from the FileResult alone (source lines, tables): any --jobs, cache on
    spec = WorkerSpec(
        check=setup.options,
        cache_dir=None if setup.no_cache else str(config.path_value("cache-dir")),
        # the salt hashes gov-lint's own source and rule packs (~7 ms): only a run with a cache needs it
        cache_salt="" if setup.no_cache else cache_salt(effective.rules_hash() + "|" + (setup.options.published or "")),
        tables=_draws_tables(setup),
    )

    def post(result: FileResult) -> FileResult:
        result.findings = effective.apply(result.findings, result.path)
        if baseline_filter is not None:
            baseline_filter.apply(result)
        return result

    run = Run(setup.files, spec, jobs=jobs, selected=effective.selected, lang=lang, agency_map=agency_map,
              post=post, progress=want_progress(quiet), executor=setup.executor)
    terminal = FORMATS[setup.fmt](sys.stdout, setup.render)
    try:
        out = open_outputs(setup.outputs, setup.render, primary=terminal, formats=FORMATS)
    except OutputSpecError as exc:
        fail(str(exc))
    summary = Summary()
    try:
        with quiet_collector():  # this process checks the files itself (--jobs 1) or decodes every result
            for result in run:
                summary.add(result)
                out.file(result)
                result.report = None
        for path in setup.others or ():
            result = skipped_result(path, lang)
            summary.add(result)
            out.file(result)
        if baseline_filter is not None:
            summary.stale = baseline_filter.stale()
        out.finish(summary)
    finally:
        out.close()
    if baseline_filter is not None:  # baseline summary: absorbed findings and stale entries, listed (issue 5 part 4)
        from .baseline import format_stale

        text = format_stale(summary.stale, lang, baseline_filter.suppressed)
        if text:
            typer.echo(text, err=True)
    return summary


def _exit(summary: Summary, setup: _Setup, exit_zero: bool, fail_on_skip: bool) -> None:
    if any(summary.by_code.get(code) for code in INTERNAL_CODES):  # a bug in gov-lint, whatever else happened
        raise typer.Exit(3)
    if fail_on_skip and summary.skipped - len(setup.others or ()):  # a zip or an image is not a failed report
        raise typer.Exit(2)
    if exit_zero:
        raise typer.Exit(0)
    threshold = SEVERITY_RANK[setup.config["fail-on"]]
    worst = max(
        [SEVERITY_RANK["error"]] * (summary.errors > 0) + [SEVERITY_RANK["warning"]] * (summary.warnings > 0)
        + [SEVERITY_RANK["info"]] * (summary.infos > 0),
        default=-1,
    )
    raise typer.Exit(1 if worst >= threshold else 0)


# --------------------------------------------------------------------------- rules and docs


@app.command("rules")
def rules_cmd(
    lang: str = typer.Option("zh", "--lang", help="zh|en"),
    fmt: str = typer.Option("text", "--format", "-f", help="text|json|markdown"),
) -> None:
    """列出所有规则 / list the rules."""
    from .docs import rules_json, rules_markdown, rules_table

    rs = all_rules()
    if fmt == "json":
        typer.echo(json.dumps(rules_json(rs), ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        typer.echo(rules_markdown(rs, lang), nl=False)
    else:
        typer.echo(rules_table(rs, lang), nl=False)


@app.command()
def explain(
    code: str = typer.Argument(..., help="规则代码或名称，如 A103 或 row-total-mismatch"),
    lang: str = typer.Option("zh", "--lang", help="zh|en"),
) -> None:
    """显示一条规则的说明 / explain one rule."""
    from .docs import explain_text

    rs = all_rules()
    rule = rs.get(code.upper()) or rs.by_name().get(code.lower())
    if rule is None:
        import difflib

        names = [r.code for r in rs] + [r.name for r in rs]
        close = difflib.get_close_matches(code, names, n=1)
        hint = (f"，是不是 {close[0]}？" if lang != "en" else f"; did you mean {close[0]}?") if close else ""
        fail((f"没有规则 {code}{hint}" if lang != "en" else f"no rule {code}{hint}"))
    typer.echo(explain_text(rule, lang), nl=False)


# --------------------------------------------------------------------------- extract


@app.command()
def extract(
    paths: List[Path] = typer.Argument(..., help="报告文件或文件夹"),
    fmt: str = typer.Option("json", "--format", "-f", help="json|csv"),
) -> None:
    """输出解析出的表格数字 / print the parsed tables."""
    from .extract import CSV_HEADER, extract_csv_rows, extract_json

    files = collect(paths)
    if fmt not in ("json", "csv"):
        fail(f"unknown format {fmt} (json|csv)")
    results = list(_extracted(files))
    if fmt == "json":
        typer.echo(json.dumps({"schema": "gov-lint-extract/1", "files": [extract_json(r) for r in results]},
                              ensure_ascii=False, indent=2))
    else:
        import csv

        from .output.csv import BOM, bom_default

        if bom_default():  # like `check --format csv`: Excel opens it without mojibake
            sys.stdout.write(BOM)
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for r in results:
            writer.writerows(extract_csv_rows(r))
    bad = [r for r in results if r.status != "checked"]
    for r in bad:
        typer.echo(f"gov-lint: {r.path}: {r.reason_text()}", err=True)
    raise typer.Exit(2 if bad else 0)


def _extracted(files: list[str]) -> Iterator[FileResult]:
    from .check import check_path

    opts = CheckOptions(selected=frozenset())
    for f in files:
        yield check_path(f, opts)


# --------------------------------------------------------------------------- config, baseline, report, serve


@app.command("config")
def config_cmd(
    paths: Optional[List[Path]] = typer.Argument(None, help="从这里向上查找配置"),
    config_file: Optional[Path] = typer.Option(None, "--config"),
    isolated: bool = typer.Option(False, "--isolated"),
    lang: Optional[str] = typer.Option(None, "--lang"),
) -> None:
    """显示生效的配置 / show the effective configuration."""
    from .config import format_config

    try:
        config = load_config(paths or [Path.cwd()], config_file=config_file, isolated=isolated, overrides={"lang": lang})
        effective = config.resolve(list(all_rules()))
    except ConfigError as exc:
        fail(exc.text(lang or "zh"))
    typer.echo(format_config(config, config["lang"], effective), nl=False)


@app.command("baseline")
def baseline_cmd(
    paths: List[Path] = typer.Argument(..., help="报告文件或文件夹"),
    output: Path = typer.Option(..., "--output", "-o", help="写入的基线文件"),
    config_file: Optional[Path] = typer.Option(None, "--config"),
    isolated: bool = typer.Option(False, "--isolated"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="并行进程数"),
    no_cache: bool = typer.Option(False, "--no-cache", help="不使用结果缓存"),
    agency_map: Optional[Path] = typer.Option(None, "--agency-map", help="机关更名对照表（跨年度检查用）"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不显示进度条"),
    max_file_size: Optional[str] = typer.Option(None, "--max-file-size", help="单个文件的大小上限，如 20MB"),
    time_limit: Optional[float] = typer.Option(None, "--time-limit", help="检查单个文件的时间上限（秒）"),
    max_steps: Optional[int] = typer.Option(None, "--max-steps", help="检查单个文件的步数上限"),
) -> None:
    """记录当前所有问题，之后只报告新问题 / record current findings as a baseline."""
    from .agency import AgencyMap, AgencyMapError
    from .atomic import WriteError
    from .baseline import entries_of, write
    from .cache import cache_salt
    from .runner import Run, WorkerSpec, default_jobs, want_progress

    try:
        overrides = {"jobs": jobs, "agency-map": str(agency_map) if agency_map else None,
                     **_limit_overrides(max_file_size, time_limit, max_steps)}
        config = load_config(paths, config_file=config_file, isolated=isolated, overrides=overrides)
        effective = config.resolve(list(all_rules()))
        amap = AgencyMap.load(config.path_value("agency-map")) if config["agency-map"] else None
    except (ConfigError, AgencyMapError) as exc:
        fail(exc.text("zh"))
    files = collect(paths, effective.excluded)
    # same jobs, cache and agency map as `check`, so the fingerprints agree (issue 5 parts 4-6)
    options = CheckOptions(lang=config["lang"], selected=effective.selected, limits=config.limits())
    spec = WorkerSpec(check=options, cache_dir=None if no_cache else str(config.path_value("cache-dir")),
                      cache_salt=cache_salt(effective.rules_hash() + "|"),
                      tables=False)  # baseline entries draw no tables: not read from the cache
    entries = []
    for result in Run(files, spec, jobs=config["jobs"] or default_jobs(len(files)), selected=effective.selected,
                      lang=config["lang"], agency_map=amap, progress=want_progress(quiet),
                      post=lambda r: (setattr(r, "findings", effective.apply(r.findings, r.path)) or r)):
        entries.extend(entries_of(result))
    try:
        n = write(output, entries)
    except WriteError as exc:
        fail(exc.text(config["lang"]))
    typer.echo(f"已记录 {n} 条到 {output}" if config["lang"] != "en" else f"recorded {n} findings in {output}")


@app.command("report")
def report_cmd(
    source: Path = typer.Option(..., "--from", help="gov-lint check --format json 的输出"),
    fmt: str = typer.Option("full", "--format", "-f"),
    outputs: Optional[List[str]] = typer.Option(None, "--output", "-o", help="另存一种格式：FORMAT:PATH"),
    lang: str = typer.Option("zh", "--lang"),
    statistics: bool = typer.Option(False, "--statistics"),
) -> None:
    """把保存的 JSON 结果转换成另一种格式 / re-render saved JSON results."""
    from .report_cmd import run_report

    options = RenderOptions(lang=lang, statistics=statistics, tool_version=__version__, rules=all_rules(),
                            color=_auto_color())
    raise typer.Exit(run_report(str(source), fmt, options, outputs or []))


@app.command()
def serve(
    host: Optional[str] = typer.Option(None, "--host", help="绑定地址（默认 127.0.0.1）"),
    port: int = typer.Option(8000, "--port"),
    max_upload: str = typer.Option("10MB", "--max-upload", help="上传大小上限"),
    lang: str = typer.Option("zh", "--lang"),
    time_limit: float = typer.Option(20.0, "--time-limit", help="每次检查的时间上限（秒）"),
    max_concurrent: int = typer.Option(2, "--max-concurrent", help="同时进行的检查数上限"),
) -> None:
    """本地网页：拖入年报即可检查（需要 gov-lint[web]）/ a local web page."""
    from .web import serve as run_server  # reports a missing gov-lint[web] extra itself

    raise typer.Exit(run_server(host=host, port=port, max_upload=max_upload, lang=lang,
                                time_limit=time_limit, max_concurrent=max_concurrent))


INTERRUPTED = 130  # the shell's code for a run stopped by Ctrl-C (128 + SIGINT)


class Interrupted(BaseException):
    """Ctrl-C, raised by our SIGINT handler (not KeyboardInterrupt, which click turns into "Aborted!")."""


def _on_sigint(signum, frame) -> None:  # noqa: ANN001 - signal handler signature
    raise Interrupted()


def main(argv: Optional[List[str]] = None) -> None:
    """The console script; Ctrl-C stops cleanly with exit 130 and leaves no half-written output."""
    import signal

    try:
        signal.signal(signal.SIGINT, _on_sigint)
    except ValueError:  # not the main thread (embedded use): keep Python's default
        pass
    try:
        app(args=argv)
    except (Interrupted, KeyboardInterrupt):
        sys.stderr.write("\ngov-lint：已中断，没有留下写了一半的输出文件。/ interrupted; no half-written output was left.\n")
        sys.exit(INTERRUPTED)


def run_program(argv: Optional[List[str]] = None) -> NoReturn:
    """`main` as a program (the console script, `python -m gov_lint`, `python -m gov_lint.cli`):
    after the command, threading's exit hooks run and waiting threads are joined, then the exit
    handlers run and the standard streams are flushed, and the process ends without tearing down its
    objects one by one (after a run over an archive the interpreter's own teardown cost ~0.05-0.1 s
    of CPU, after the output was complete).
    Never call it in-process: it ends the process."""
    import atexit
    import threading

    try:
        main(argv)
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"): printed, status 1 (as Python does)
        sys.stderr.write(f"{code}\n")
        code = 1
    from . import pool_server

    try:
        pool_server.stop()  # started for a pool the run did not use (`jobs = 1` in a config file)
        threading._shutdown()  # what the interpreter does first: threading's exit hooks, then wait for threads
        atexit._run_exitfuncs()
    except (Interrupted, KeyboardInterrupt):  # Ctrl-C while ending: the output is complete, the status says so
        code = INTERRUPTED
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe (gov-lint check … | head): Python's status for it
        code = 120
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run_program()
