"""`read_file_bytes`: the whole file up to the limit, a larger one refused, a growing one cut at
limit + 1 bytes; read in steps of the file's own size, never by asking for the whole limit."""

from __future__ import annotations

import os

import pytest

from gov_lint.readers import ReadError, read_file_bytes
import gov_lint.readers as readers


@pytest.mark.parametrize("size", [0, 1, 999, 1000])
def test_files_up_to_the_limit_are_read_whole(tmp_path, size):
    p = tmp_path / "r.txt"
    p.write_bytes(bytes(range(256)) * (size // 256) + bytes(size % 256))
    assert read_file_bytes(p, 1000) == p.read_bytes()


def test_a_larger_file_is_refused_from_its_size(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes(b"x" * 1001)
    with pytest.raises(ReadError) as exc:
        read_file_bytes(p, 1000)
    assert exc.value.code == "P005"


def test_a_file_that_grows_while_read_is_cut_and_refused(tmp_path, monkeypatch):
    """The file is 10 bytes when its size is taken and grows by 5,000 before the reads: what is read
    stops at limit + 1 bytes (in READ_STEP steps after the first read) and the file is refused."""
    p = tmp_path / "r.txt"
    p.write_bytes(b"y" * 10)
    real_fstat, asked = os.fstat, []
    real_read = os.read

    def fstat_then_grow(fd):
        st = real_fstat(fd)
        with open(p, "ab") as fh:
            fh.write(b"z" * 5000)
        return st

    monkeypatch.setattr(os, "fstat", fstat_then_grow)
    monkeypatch.setattr(os, "read", lambda fd, n: asked.append(n) or real_read(fd, n))
    monkeypatch.setattr(readers, "READ_STEP", 1000)
    with pytest.raises(ReadError) as exc:
        read_file_bytes(p, 3000)
    assert exc.value.code == "P005"
    assert asked == [11, 1000, 1000, 990]  # the size + 1, then steps up to limit + 1 = 3001 bytes


def test_a_file_that_did_not_grow_takes_its_size_and_one_look_at_the_end(tmp_path, monkeypatch):
    p = tmp_path / "r.txt"
    p.write_bytes(b"q" * 700)
    real_read, asked = os.read, []
    monkeypatch.setattr(os, "read", lambda fd, n: asked.append(n) or real_read(fd, n))
    assert read_file_bytes(p, 20 * 1024 * 1024) == b"q" * 700
    assert asked == [701, readers.READ_STEP]
