"""Output folders written whole or not at all.

Files go into a hidden staging folder beside the target; when every file is
written the staging folder takes the target's place (renames on one file
system).  An interrupted run leaves the previous output as it was.  A target
that exists must be empty or an earlier output of the same command (it holds
the marker file), so hw never deletes a folder of the user's own files.

A run holds a lock on its staging folder (flock, released by the system when
the run's processes end, however they end). A run that was killed outright
(kill -9, the out-of-memory killer, a power cut) leaves its staging folder, or
a replaced output it was deleting; the next run into the same target removes
those that no running hw holds.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from typing import Any

from problems.errors import HwError


def remove_tree(root: Path, threads: int = 4) -> None:
    """Delete a folder hw made (a replaced output), as shutil.rmtree(ignore_errors=True) does, with
    the files unlinked by a few threads: on a disk that discards freed blocks an unlink waits for
    the device, and a class's output has 10,000 files.  Links are removed, never followed."""
    files: list[str] = []
    folders: list[str] = []
    pending = [str(root)]
    while pending:                              # folders in the order found: a parent before its own
        folder = pending.pop()
        folders.append(folder)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            (pending if entry.is_dir(follow_symlinks=False) else files).append(entry.path)

    def unlink(names: list[str]) -> None:
        for name in names:
            try:
                os.unlink(name)
            except OSError:
                pass

    if len(files) < 1000:
        unlink(files)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(unlink, [files[i::threads] for i in range(threads)]))
    for folder in reversed(folders):            # the deepest first
        try:
            os.rmdir(folder)
        except OSError:
            pass


NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def _locked(folder: Path) -> int | None:
    """An open descriptor of `folder` holding its lock, or None when a running hw holds it (or the
    folder cannot be opened). Forked workers share the lock; it ends with the last of the run's
    processes."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


def _remove_left_over(target: Path) -> None:
    """Remove what killed runs into `target` left beside it: staging folders and replaced outputs
    that no running hw holds. Only names that tempfile.mkdtemp made for hw are looked at."""
    made = re.compile(rf"\.{re.escape(target.name)}\.(hw|old)-[a-z0-9_]{{8}}")
    try:
        with os.scandir(target.parent) as entries:
            found = [e.path for e in entries if made.fullmatch(e.name) and e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for folder in found:
        lock = _locked(Path(folder))
        if lock is not None:
            try:
                remove_tree(Path(folder))
            finally:
                _unlock(lock)


def _why(target: Path, error: OSError) -> str:
    """Why a folder could not be made, naming a file that stands where a folder of its path should."""
    for folder in target.parents:
        if folder.exists():
            return error.strerror or str(error) if folder.is_dir() else f"{folder} is a file, not a folder"
    return error.strerror or str(error)


class Staging:
    def __init__(self, target: Path, marker: str):
        self.target = Path(target)
        self.marker = marker
        if self.target.exists():
            if not self.target.is_dir():
                raise HwError("exists and is not a folder", file=str(self.target))
            if any(self.target.iterdir()) and not (self.target / marker).is_file():
                raise HwError(f"the folder is not empty and holds no {marker}: choose an empty or new folder "
                              "(hw replaces its own output folders only)", file=str(self.target))
            here = Path.cwd().resolve()
            if self.target.resolve() in (here, *here.parents):
                raise HwError("is the folder this command runs in (or holds it): hw puts a whole new folder in "
                              "the output's place, so give it a folder of its own, such as --out out",
                              file=str(self.target))
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            _remove_left_over(self.target)
            self.root = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.hw-", dir=self.target.parent))
        except OSError as e:        # a parent that is a file, a folder hw may not write in, a full disk
            raise HwError(f"cannot make the output folder: {_why(self.target, e)}", file=str(self.target)) from None
        self._lock = _locked(self.root)
        self.folders: set[Path] = {self.root}      # made already (a process's own record; workers add theirs)
        self._plain: dict[str, str] = {}           # a folder one level down -> its staging path and '/'
        umask = os.umask(0)
        os.umask(umask)
        self.root.chmod(0o777 & ~umask)   # mkdtemp makes it private; the output is an ordinary folder

    def path(self, relative: str) -> Path:
        """The staging path of a relative file name; nothing may climb out of the folder."""
        parts = PurePosixPath(relative).parts
        if not parts or PurePosixPath(relative).is_absolute() or any(p in ("..", "") for p in parts):
            raise HwError(f"refusing to write outside the output folder: {relative!r}")
        path = self.root.joinpath(*parts)
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)
        return path

    def folder(self, relative: str) -> Path:
        """A folder of the output, made even if no file goes into it (a class with no submissions
        still has its feedback/)."""
        path = self.path(relative)
        path.mkdir(exist_ok=True)
        self.folders.add(path)
        return path

    def open(self, relative: str) -> Any:
        """A text file in the staging folder, for output too large to hold in memory at once."""
        return self.path(relative).open("w", encoding="utf-8", newline="")

    def write(self, relative: str, data: bytes | str) -> None:
        """A whole file, written with the system's calls: a class's 10,000 feedback pages skip the
        buffered file object that open() builds for each (9 us a student on tmpfs)."""
        data = data.encode("utf-8") if isinstance(data, str) else data
        name = self._file(relative)
        fd = os.open(name, NEW_FILE, 0o666)
        try:
            written = os.write(fd, data)
            while written < len(data):              # a write may stop short of the end; the rest follows
                written += os.write(fd, memoryview(data)[written:])
        except OSError as e:                        # a full disk, say: named as open() names what it refuses
            raise OSError(e.errno, e.strerror, str(name)) from None
        finally:
            os.close(fd)

    def _file(self, relative: str) -> str | Path:
        """path(), without building Path objects for a plain name like 'feedback/s001.md' (10,000 of
        them in a class); anything else goes through path()'s checks."""
        folder, slash, name = relative.rpartition("/")
        if not slash or "/" in folder or folder in ("", ".", "..") or name in ("", ".", ".."):
            return self.path(relative)
        if folder not in self._plain:
            self.path(relative)                     # makes the folder, with path()'s checks
            self._plain[folder] = f"{self.root}/{folder}/"
        return self._plain[folder] + name

    def commit(self) -> None:
        """The staging folder in the target's place; an earlier output it replaces is deleted. When the
        renames fail, the earlier output stays where it was and the new one is deleted."""
        old = old_lock = None
        try:
            if self.target.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.old-", dir=self.target.parent))
                old_lock = _locked(old)
                os.rename(self.target, old / "previous")
            os.rename(self.root, self.target)
        except OSError as e:
            if old is not None:
                try:
                    if (old / "previous").exists():
                        os.rename(old / "previous", self.target)
                    old.rmdir()
                except OSError:
                    pass            # then the earlier output is still whole, in `old`
            _unlock(old_lock)
            self.abort()
            raise HwError(f"cannot put the output in place: {e.strerror or e}", file=str(self.target)) from None
        if old is not None:
            remove_tree(old)
            _unlock(old_lock)
        self._release()             # the lock was on the folder that is now the target

    def abort(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        self._release()

    def _release(self) -> None:
        lock, self._lock = self._lock, None
        _unlock(lock)

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.commit()
            return
        self.abort()
        inside = str(self.root) + os.sep
        if isinstance(value, OSError) and str(value.filename or "").startswith(inside):   # a full disk, say
            where = self.target / str(value.filename)[len(inside):]
            raise HwError(f"cannot write the output: {value.strerror or value}", file=str(where)) from None
