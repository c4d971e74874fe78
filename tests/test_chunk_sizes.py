"""Guided chunk sizes (`runner.chunk_size`): large tasks while many files are left (little IPC per
file for the command), small ones at the end (the workers finish together)."""

from __future__ import annotations

import pytest

from gov_lint import runner


def _tasks(n: int, jobs: int) -> list[int]:
    sizes, left = [], n
    while left:
        size = runner.chunk_size(left, jobs)
        assert 1 <= size <= min(left, runner.CHUNK_MAX)
        sizes.append(size)
        left -= size
    return sizes


@pytest.mark.parametrize("jobs", [1, 2, 3, 8])
def test_sizes_shrink_to_small_tasks_at_the_end(jobs):
    for n in list(range(1, 300)) + [1000, 2000, 10_000, 100_000]:
        sizes = _tasks(n, jobs)
        assert sum(sizes) == n
        assert sizes == sorted(sizes, reverse=True)
        assert sizes[-1] <= runner.CHUNK_MIN
        # no task is more than a 1/(jobs × GUIDE) share of what was left when it went out (or CHUNK_MIN)
        left = n
        for s in sizes:
            assert s <= max(runner.CHUNK_MIN, -(-left // (jobs * runner.GUIDE)))
            left -= s


def test_an_archive_goes_out_in_few_tasks():
    assert len(_tasks(2000, 2)) == 43  # 125 tasks of 16 files before
    assert len(_tasks(100_000, 2)) < 100_000 // runner.CHUNK_MAX + 40
