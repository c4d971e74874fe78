"""The worker pool's fork server, started as the command begins (`gov-lint check DIR` on several cores).

Before the workers of a `--jobs N` run can check anything, the checker's modules must be
imported and warmed (`_warm`: rules collected, Lark parser built, patterns compiled, template
packs loaded: about 0.2 s of CPU).  Done in the command's own process, that is serial: the
other cores idle while the command also imports its command line, reads its configuration and
walks the folders.  So the console script (`launch.run`) starts multiprocessing's fork server
first, when the arguments say the run will most likely use a pool (`wanted`): the server
imports and warms on an idle core while the command sets itself up, and the pool's workers are
forked from it (`runner._pool`), ready at once.  The server is a fork of the command taken once
it has imported what both need (`start`), so nothing is imported twice.  A fork server is also
the safe way to make workers from a process that has threads (a progress bar).

A server that turns out not to be needed (`jobs = 1` in a configuration file, files the walk
leaves out) is ended when the command ends (`stop`): it only ever cost the idle core.  The server
is ended and waited for after the run, so the CPU time of its workers is counted for the
command, as it is with forked workers.
"""

from __future__ import annotations

import gc
import os
import signal
import sys

# Options of `gov-lint check` that take a value (the value is not a path to check).
# tests/test_pool_server.py keeps this in step with the command line's own definition.
VALUE_OPTIONS = frozenset({
    "--select", "--extend-select", "--ignore", "--format", "-f", "--output", "-o", "--lang", "--fail-on",
    "--config", "--jobs", "-j", "--cache-dir", "--baseline", "--agency-map", "--published",
    "--max-file-size", "--time-limit", "--max-steps", "--executor", "--scheduler",
})
MANY_FILES = 8  # runner.AUTO_JOBS_THRESHOLD: more files than this use every core
SCAN_LIMIT = 2_000  # folder entries looked at, at most, to tell whether a run has that many files
PRELOAD = ["gov_lint.runner", "gov_lint._warm"]

_server_pid: int | None = None  # the server this process started, while it runs


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _jobs(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None  # the command line reports it


def wanted(args: list[str]) -> bool:
    """Whether `gov-lint ARGS` will most likely check files in a pool of processes: `check` of more
    than one file with `--jobs` above 1, or of more than MANY_FILES files without `--jobs` (where
    the runner uses every core), on a machine with more than one core and a local executor.  (A
    `jobs` in a configuration file is not read here: a server such a run does not use is ended.)"""
    if not args or args[0] != "check" or _cores() < 2:
        return False
    jobs: int | None = None
    paths: list[str] = []
    rest = iter(args[1:])
    for arg in rest:
        if arg == "--":
            paths.extend(rest)
            break
        name, eq, value = arg.partition("=")
        if name.startswith("-j") and len(name) > 2 and name[2:].isdecimal() and name[2:].isascii():  # -j2
            jobs = int(name[2:])
        elif name in VALUE_OPTIONS:
            if not eq:
                value = next(rest, "")
            if name in ("--jobs", "-j"):
                jobs = _jobs(value)
            elif name == "--scheduler" or (name == "--executor" and value != "local"):
                return False  # a Dask cluster checks the files
        elif name in ("-h", "--help"):
            return False
        elif not arg.startswith("-"):
            paths.append(arg)
    if jobs:  # 0 or none: as many as the files call for
        return jobs > 1 and _more_files_than(paths, 1)
    return _more_files_than(paths, MANY_FILES)


def _more_files_than(paths: list[str], n: int) -> bool:
    """Whether the paths name more than `n` files, counting the report files in folders as the
    command's folder walk would (hidden names left out), and stopping as soon as the answer is
    known: a folder of a few reports is checked in the command's own process.  A tree of more
    than SCAN_LIMIT entries counts as many (it is not walked twice to the end)."""
    from .readers import SUFFIXES

    count = seen = 0
    folders: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            folders.append(p)
        else:
            count += 1
    while folders and count <= n:
        try:
            with os.scandir(folders.pop()) as it:
                for entry in it:
                    seen += 1
                    if seen > SCAN_LIMIT:
                        return True
                    if entry.name.startswith("."):
                        continue
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            folders.append(entry.path)
                            continue
                    except OSError:
                        continue
                    if os.path.splitext(entry.name)[1].lower() in SUFFIXES:
                        count += 1
                        if count > n:
                            break
        except OSError:
            continue
    return count > n


def _supported() -> bool:
    """A fork server exists here (not on Windows; not used on macOS, as in `runner._pool`)."""
    if sys.platform == "darwin":
        return False
    import multiprocessing as mp

    return "forkserver" in mp.get_all_start_methods()


def start(args: list[str]) -> bool:
    """Start the fork server when `wanted(args)`; True if started.

    Forked from this process (`_fork_server`) once it has imported what the command and the
    workers both need (the runner, the rules) and before what only the command needs (typer, the
    command line, the outputs): the server imports the rest (parser, readers) and warms (`_warm`)
    while the command goes on, and nothing is done twice.  Where multiprocessing's server
    is not the one `_fork_server` knows how to stand in for, or this process has a thread, the
    server is multiprocessing's own, started from a new interpreter (`ensure_running`)."""
    global _server_pid
    if _server_pid is not None or not wanted(args) or not _supported():
        return False
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    if server is None or getattr(server, "_forkserver_pid", 0) is not None:
        return False  # another Python's fork server, or one already running: leave it to the pool
    forkserver.set_forkserver_preload(PRELOAD)
    if _can_fork(server):
        import gov_lint.runner  # noqa: F401 - the workers' module, which the command imports too

        from .rules.registry import all_rules

        all_rules()  # the command's setup needs them too
    try:
        if _can_fork(server):  # (no import above started a thread)
            _server_pid = _fork_server(server)
            return True
        forkserver.ensure_running()
    except OSError:  # no process or socket to be had: the pool starts its workers itself
        return False
    _server_pid = server._forkserver_pid
    return _server_pid is not None


def _can_fork(server) -> bool:
    """Whether `_fork_server` can stand in for `ForkServer.ensure_running` here: the fork server of
    Python 3.8-3.12 (its `main` and fields as `_fork_server` fills them; 3.13 adds an
    authentication key) and no thread in this process (forking one with threads can deadlock)."""
    import inspect
    import threading
    from multiprocessing import forkserver

    try:
        params = list(inspect.signature(forkserver.main).parameters)
    except (TypeError, ValueError):
        return False
    return (params == ["listener_fd", "alive_r", "preload", "main_path", "sys_path"]
            and all(hasattr(server, f) for f in ("_forkserver_address", "_forkserver_alive_fd", "_forkserver_pid"))
            and not hasattr(server, "_forkserver_authkey")
            and threading.active_count() == 1)


def _fork_server(server) -> int:
    """`ForkServer.ensure_running` with a fork of this process instead of a new interpreter: the
    same listening socket, "alive" pipe and resource tracker, and `forkserver.main` run in the
    child, which imports PRELOAD on top of what this process had imported.  Returns its pid."""
    import socket
    from multiprocessing import connection, forkserver, resource_tracker, util

    resource_tracker.ensure_running()
    sys.stdout.flush()
    sys.stderr.flush()
    with socket.socket(socket.AF_UNIX) as listener:
        address = connection.arbitrary_address("AF_UNIX")
        listener.bind(address)
        if not util.is_abstract_socket_namespace(address):
            os.chmod(address, 0o600)
        listener.listen()
        alive_r, alive_w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(alive_r)
            os.close(alive_w)
            raise
        if pid == 0:  # the server: never returns into the command's code
            code = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's to handle (exit 130)
                os.close(alive_w)
                for name in PRELOAD:  # as forkserver.main would, with the command's collector setting
                    try:
                        __import__(name)
                    except ImportError:
                        pass
                gc.enable()  # (the console script turns it off while importing): workers start with it on
                forkserver.main(listener.fileno(), alive_r, [])
            except SystemExit:  # its way to end when the command closes the "alive" pipe
                code = 0
            except Exception:  # noqa: BLE001 - shown; multiprocessing then starts a server of its own
                import traceback

                traceback.print_exc()
            finally:
                os._exit(code)
        os.close(alive_r)
    server._forkserver_address = address
    server._forkserver_alive_fd = alive_w
    server._forkserver_pid = pid
    return pid


def running() -> bool:
    """Whether this process started the fork server and it has not been stopped."""
    return _server_pid is not None


def stop() -> None:
    """End the fork server and wait for it (its workers were waited for by it when the pool shut
    down).  A server still importing is ended at once, not waited for to finish."""
    global _server_pid
    if _server_pid is None:
        return
    pid, _server_pid = _server_pid, None
    from multiprocessing import forkserver

    server = forkserver._forkserver
    if server._forkserver_pid != pid:
        return  # ours died and multiprocessing started and ended its own: never signal a pid reused since
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        server._stop()  # closes its "alive" pipe, waits for it, removes its socket
    except OSError:  # the socket already gone (a temporary-files cleaner): nothing is left to end
        pass
