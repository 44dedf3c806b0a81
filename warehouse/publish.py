"""Publish the writer's file for readers: copy it beside the published file, then swap it in.

`os.replace` is atomic: an analyst who already has the old file open keeps reading that
snapshot (its inode lives on until closed), and the next connection sees the new one. Neither
side ever waits for the other.
"""

from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path

from flows.core.killpoints import killpoint


def publish(private: Path, published: Path) -> None:
    """Replace `published` with a copy of the (closed, checkpointed) writer file `private`.

    Call it under the writer lock: another process's staging copy is then a dead writer's.
    """
    for dead in published.parent.glob(f".{glob.escape(published.name)}.*.publishing"):
        dead.unlink(missing_ok=True)  # a writer killed mid-publish left it
    staging = published.with_name(f".{published.name}.{os.getpid()}.publishing")
    try:
        shutil.copyfile(private, staging)
        killpoint("publish.copied")
        with staging.open("rb") as handle:
            os.fsync(handle.fileno())
        killpoint("publish.synced")
        os.replace(staging, published)
        killpoint("publish.replaced")
        _fsync_dir(published.parent)
    finally:
        staging.unlink(missing_ok=True)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
