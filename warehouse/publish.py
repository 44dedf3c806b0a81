"""Publish the writer's file for readers: copy it beside the published file, then swap it in.

`os.replace` is atomic: an analyst who already has the old file open keeps reading that
snapshot (its inode lives on until closed), and the next connection sees the new one. Neither
side ever waits for the other.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def publish(private: Path, published: Path) -> None:
    """Replace `published` with a copy of the (closed, checkpointed) writer file `private`."""
    staging = published.with_name(f".{published.name}.{os.getpid()}.publishing")
    try:
        shutil.copyfile(private, staging)
        with staging.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staging, published)
        _fsync_dir(published.parent)
    finally:
        staging.unlink(missing_ok=True)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
