"""What creating a class's files costs on a file system, before and after deleting as many.

    python benchmarks/file_churn.py [FOLDER] [--files 5000]

Creates N small files (the size of a feedback page) in a new folder inside
FOLDER (default: the system's temporary folder), deletes them, and creates N
again, timing each step. On ext4 without a journal (this project's machine) a
new file skips every inode freed in the last minute or more, so the second
creation is several times slower than the first: that is what a run pays
right after a run that replaced its output. On tmpfs, or ext4 with a journal,
both creations cost the same.
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time


def create(folder: str, count: int, data: bytes) -> float:
    os.mkdir(folder)
    start = time.perf_counter()
    for i in range(count):
        with open(os.path.join(folder, f"s{i:05d}.md"), "wb") as f:
            f.write(data)
    return (time.perf_counter() - start) / count * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", default=tempfile.gettempdir())
    parser.add_argument("--files", type=int, default=5000)
    args = parser.parse_args()
    data = b"x" * 4800
    root = tempfile.mkdtemp(prefix="hw-churn-", dir=args.folder)
    try:
        first = create(os.path.join(root, "a"), args.files, data)
        start = time.perf_counter()
        shutil.rmtree(os.path.join(root, "a"))
        removed = (time.perf_counter() - start) / args.files * 1000
        second = create(os.path.join(root, "b"), args.files, data)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"{args.files} files in {args.folder}: create {first:.3f} ms each, delete {removed:.3f} ms each, "
          f"create again {second:.3f} ms each ({second / first:.1f}x)")


if __name__ == "__main__":
    main()
