"""Output folders: written whole or not at all, and nothing written outside them."""
from pathlib import Path

import pytest

from problems.errors import HwError
from templates.output import Staging


def test_files_land_where_their_names_say(tmp_path):
    with Staging(tmp_path / "out", "marker") as staging:
        staging.write("marker", "m")
        staging.write("feedback/s001.md", "a")
        staging.write("feedback/s002.md", b"b")
        staging.write("print/deep/er.txt", "c")
        staging.write("feedback/s001.md", "again")          # rewritten, not appended
    out = tmp_path / "out"
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == \
        ["feedback/s001.md", "feedback/s002.md", "marker", "print/deep/er.txt"]
    assert (out / "feedback" / "s001.md").read_text() == "again"


@pytest.mark.parametrize("name", ["../x", "feedback/../../x", "feedback/..", "/etc/x", "..", "", "a/b/../../../x"])
def test_nothing_climbs_out_of_the_folder(tmp_path, name):
    staging = Staging(tmp_path / "out", "marker")
    with pytest.raises(HwError, match="outside the output folder"):
        staging.write(name, "x")
    staging.abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_interrupted_run_leaves_the_previous_output(tmp_path):
    with Staging(tmp_path / "out", "marker") as staging:
        staging.write("marker", "first")
    with pytest.raises(RuntimeError):
        with Staging(tmp_path / "out", "marker") as staging:
            staging.write("marker", "second")
            raise RuntimeError("interrupted")
    assert (tmp_path / "out" / "marker").read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_replaced_output_is_removed_whole_and_links_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    with Staging(tmp_path / "out", "marker") as staging:
        staging.write("marker", "first")
        for i in range(1200):                       # enough for the threaded removal
            staging.write(f"feedback/s{i:04d}.md", "x")
        staging.write("a/b/c/d.txt", "deep")
    (tmp_path / "out" / "link").symlink_to(outside, target_is_directory=True)
    (tmp_path / "out" / "a" / "file-link").symlink_to(outside / "keep.txt")
    with Staging(tmp_path / "out", "marker") as staging:
        staging.write("marker", "second")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "outside"]      # no leftovers beside it
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["marker"]
    assert (outside / "keep.txt").read_text() == "mine"


def test_an_output_folder_that_cannot_be_made_names_the_file_in_its_way(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(HwError) as raised:
        Staging(tmp_path / "notes.txt" / "out", "marker")
    assert str(raised.value) == f"{tmp_path / 'notes.txt' / 'out'}: cannot make the output folder: " \
                                f"{tmp_path / 'notes.txt'} is a file, not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_an_output_that_cannot_be_put_in_place_leaves_the_earlier_one(tmp_path, monkeypatch):
    import os

    with Staging(tmp_path / "out", "marker") as staging:
        staging.write("marker", "first")
    real_rename = os.rename

    def rename(source, target):
        if ".out.hw-" in str(source):                   # the new output's move into place
            raise OSError(28, "No space left on device")
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(HwError, match="out: cannot put the output in place: No space left on device"):
        with Staging(tmp_path / "out", "marker") as staging:
            staging.write("marker", "second")
    assert (tmp_path / "out" / "marker").read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_write_that_stops_short_is_carried_on_and_a_refused_one_names_its_file(tmp_path, monkeypatch):
    import errno
    import os

    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:1000])))   # as a signal may cut it
    text = "".join(f"line {i}: ×\n" for i in range(2000))
    with Staging(tmp_path / "out", "marker") as staging:
        staging.write("marker", "m")
        staging.write("feedback/long.md", text)
    assert (tmp_path / "out" / "feedback" / "long.md").read_text(encoding="utf-8") == text

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(HwError) as raised:
        with Staging(tmp_path / "out", "marker") as staging:
            staging.write("feedback/long.md", text)
    assert str(raised.value) == f"{tmp_path / 'out' / 'feedback' / 'long.md'}: cannot write the output: " \
                                "No space left on device"
    assert (tmp_path / "out" / "feedback" / "long.md").read_text(encoding="utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _left_over(tmp_path, name):
    folder = tmp_path / name
    (folder / "feedback").mkdir(parents=True)
    (folder / "feedback" / "s001.md").write_text("half a class")
    return folder


def test_what_a_killed_run_left_is_removed_by_the_next_run_into_the_same_folder(tmp_path):
    import fcntl
    import os

    with Staging(tmp_path / "out", "marker") as staging:
        staging.write("marker", "first")
    killed = _left_over(tmp_path, ".out.hw-k1ll3d_x")            # a staging folder of a run killed outright
    deleting = _left_over(tmp_path, ".out.old-abcd1234")         # an output it was deleting when killed
    running = _left_over(tmp_path, ".out.hw-running1")           # a run still going: it holds its lock
    other = _left_over(tmp_path, ".other.hw-abcd1234")           # another folder's
    mine = _left_over(tmp_path, ".out.hw-Mine")                  # not a name hw makes
    held = os.open(running, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        with Staging(tmp_path / "out", "marker") as staging:
            staging.write("marker", "second")
    finally:
        os.close(held)
    assert not killed.exists() and not deleting.exists()
    assert running.exists() and other.exists() and mine.exists()
    assert (tmp_path / "out" / "marker").read_text() == "second"


def test_a_run_holds_its_staging_folder_until_it_is_in_place(tmp_path):
    import fcntl
    import os

    staging = Staging(tmp_path / "out", "marker")
    probe = os.open(staging.root, os.O_RDONLY)
    with pytest.raises(BlockingIOError):
        fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)       # a next run would leave it alone
    staging.write("marker", "m")
    Staging(tmp_path / "out", "marker").abort()                  # another run into it meanwhile: it stays
    assert staging.root.exists()
    staging.commit()
    fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)           # released once committed
    os.close(probe)


def test_the_folder_a_command_runs_in_is_refused_as_its_output_in_words(tmp_path, monkeypatch):
    with Staging(tmp_path / "out", "marker") as staging:
        staging.write("marker", "first")
    (tmp_path / "out" / "deeper").mkdir()
    for where, target in ((tmp_path / "out", "."), (tmp_path / "out" / "deeper", "..")):
        monkeypatch.chdir(where)
        with pytest.raises(HwError, match="is the folder this command runs in .or holds it.: .* such as --out out"):
            Staging(Path(target), "marker")
    assert (tmp_path / "out" / "marker").read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
