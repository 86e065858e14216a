"""The all-or-nothing output set: staged files are moved into place together, or not at all."""

from __future__ import annotations

import pytest

from recsys_kg.outputs import COMMIT, STAGING, output_set


def test_the_files_of_a_set_replace_the_previous_set(tmp_path):
    with output_set(tmp_path) as staging:
        staging.write("a.txt", b"old a")
        staging.write("b.txt", b"old b")
    with output_set(tmp_path) as staging:
        with open(staging.path("a.txt"), "wb") as handle:  # any writer may fill a staged path
            handle.write(b"new a")
        staging.write("b.txt", b"new b")
    assert (tmp_path / "a.txt").read_bytes() == b"new a" and (tmp_path / "b.txt").read_bytes() == b"new b"
    assert staging.names == ["a.txt", "b.txt"] and not (tmp_path / STAGING).exists()


def test_a_failure_while_staging_keeps_the_previous_set(tmp_path):
    with output_set(tmp_path) as staging:
        staging.write("a.txt", b"old")
    with pytest.raises(RuntimeError):
        with output_set(tmp_path) as staging:
            staging.write("a.txt", b"half of the new set")
            raise RuntimeError("the build failed")
    assert (tmp_path / "a.txt").read_bytes() == b"old" and not (tmp_path / STAGING).exists()


def test_a_committed_but_unmoved_set_is_rolled_forward(tmp_path):
    staging = tmp_path / STAGING
    staging.mkdir()
    (staging / "a.txt").write_bytes(b"committed")
    (staging / COMMIT).write_bytes(b"a.txt")
    with output_set(tmp_path) as stage:  # the next run finishes the interrupted one first
        stage.write("b.txt", b"b")
    assert (tmp_path / "a.txt").read_bytes() == b"committed" and (tmp_path / "b.txt").read_bytes() == b"b"
