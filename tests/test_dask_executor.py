"""`--executor dask`: the same output as a local run, in order, and no file lost to a failing task or a dead worker."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

distributed = pytest.importorskip("distributed")

from gov_lint.budget import Limits  # noqa: E402
from gov_lint.cache import cache_salt  # noqa: E402
from gov_lint.check import CheckOptions  # noqa: E402
from gov_lint.cli import app  # noqa: E402
from gov_lint.dask_executor import DaskExecutor, _check_chunk  # noqa: E402
from gov_lint.runner import Run, WorkerSpec  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
# no wall-clock limit: on a busy machine a file could hit it in one run and not the other
OPTIONS = CheckOptions(limits=Limits(max_seconds=0))


@pytest.fixture(scope="module")
def client():
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import this test module
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0", silence_logs=50)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def _files() -> list[str]:
    # every file of the examples, but not Python's bytecode of make_examples.py (written there when
    # another test imports it and bytecode writing is on)
    return sorted(str(p) for p in EXAMPLES.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _json(results) -> list[dict]:
    return [r.to_json() for r in results]


def test_dask_json_equals_the_local_run_on_the_examples(client, tmp_path):
    files = _files()
    spec = WorkerSpec(check=OPTIONS, cache_dir=None)
    local = _json(Run(files, spec, jobs=1))
    ex = DaskExecutor(client=client, chunk=3)
    remote = _json(Run(files, spec, executor=ex))
    assert remote == local
    assert [r["path"] for r in remote][: len(files)] == files  # input order
    assert ex.stats["tasks"] >= len(files) // 3 and ex.stats["local_fallback"] == 0


def test_dask_run_fills_and_uses_the_client_side_cache(client, tmp_path):
    files = _files()
    spec = WorkerSpec(check=OPTIONS, cache_dir=str(tmp_path / "c"), cache_salt=cache_salt("dask"))
    first = Run(files, spec, executor=DaskExecutor(client=client))
    a = _json(first)
    ex = DaskExecutor(client=client)
    second = Run(files, spec, executor=ex)
    b = _json(second)
    assert a == b and ex.stats["tasks"] == 0  # every file answered by the cache, no task sent
    assert second.stats.cache_hits == first.stats.cache_misses > 0


def _fail_once(marker: str):
    def task(items, spec):
        if not os.path.exists(marker):
            Path(marker).write_text("failed once", encoding="utf-8")
            raise OSError("transient failure on a worker")
        return _check_chunk(items, spec)

    return task


def _die_once(marker: str):
    def task(items, spec):
        if not os.path.exists(marker):
            Path(marker).write_text("died once", encoding="utf-8")
            os._exit(1)  # the worker process is lost with its task
        return _check_chunk(items, spec)

    return task


@pytest.mark.parametrize("make_task", [_fail_once, _die_once], ids=["task-fails-once", "worker-dies"])
def test_failed_task_or_lost_worker_is_retried_never_dropped(client, tmp_path, make_task):
    files = _files()[:8]
    spec = WorkerSpec(check=OPTIONS, cache_dir=None)
    local = _json(Run(files, spec, jobs=1))
    marker = tmp_path / "marker"
    ex = DaskExecutor(client=client, chunk=4, task=make_task(str(marker)))
    remote = _json(Run(files, spec, executor=ex))
    assert marker.exists()  # the fault did happen
    assert remote == local


def test_lost_cluster_falls_back_to_checking_here(tmp_path):
    """A cluster that cannot run anything (retries spent): the client checks the files itself."""
    files = _files()[:4]
    spec = WorkerSpec(check=OPTIONS, cache_dir=None)
    local = _json(Run(files, spec, jobs=1))

    def always_fails(items, spec):
        raise OSError("no worker can do this")

    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                       dashboard_address=":0", silence_logs=50)
    try:
        with distributed.Client(cluster) as c:
            ex = DaskExecutor(client=c, chunk=2, retries=1, task=always_fails)
            assert _json(Run(files, spec, executor=ex)) == local
            assert ex.stats["local_fallback"] == 2
    finally:
        cluster.close()


def test_cli_unknown_executor_is_a_usage_error(tmp_path):
    res = CliRunner().invoke(app, ["check", str(EXAMPLES), "--executor", "spark", "--format", "json"])
    assert res.exit_code == 2 and "spark" in res.output


def test_cli_dask_output_is_byte_identical(tmp_path):
    args = ["check", str(EXAMPLES), "--format", "json", "--no-cache", "--exit-zero", "--time-limit", "0"]
    local = CliRunner().invoke(app, [*args, "--jobs", "1"])
    remote = CliRunner().invoke(app, [*args, "--executor", "dask", "--jobs", "1"])  # one local worker
    assert remote.exit_code == local.exit_code
    assert remote.stdout == local.stdout
    assert json.loads(remote.stdout)["files"]
