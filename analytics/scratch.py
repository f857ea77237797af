"""Folders of the system's temporary directory that hold an upload or a parse for a
while: named for the process that made them, so that a later start can tell the ones
whose process is gone (``kill -9`` of an import, a server stopped while a session held
an upload) and remove them.

``dashboard_upload_<pid>_…`` holds a file uploaded through the import page until it is
imported or dropped; ``dashboard_parse_<pid>_…`` the Arrow files a parsing child hands
back. ``remove_stale`` at every start (the app's first run, every command) deletes such
folders that are older than STALE_SECONDS and whose process no longer runs; folders
from versions before the pid was in the name are removed on age alone.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

KINDS = ("upload", "parse")
STALE_SECONDS = 600.0
_NAME = re.compile(r"^dashboard_(upload|parse)_(?:(\d+)_)?")


def prefix(kind: str) -> str:
    """The name a folder of ``kind`` made by this process starts with."""
    assert kind in KINDS
    return f"dashboard_{kind}_{os.getpid()}_"


def make(kind: str) -> str:
    """A new private folder (0700) for ``kind``; the caller removes it."""
    return tempfile.mkdtemp(prefix=prefix(kind))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:      # it runs, as another user
        return True
    return True


def remove_stale(folder: str | Path | None = None, *, older_than: float = STALE_SECONDS) -> list[Path]:
    """Remove this user's upload and parse folders in ``folder`` (the system's temporary
    directory) that are older than ``older_than`` seconds and whose process has ended;
    the ones removed."""
    root = Path(folder or tempfile.gettempdir())
    now = time.time()
    removed = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    for entry in entries:
        m = _NAME.match(entry.name)
        if m is None:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if (not entry.is_dir(follow_symlinks=False) or st.st_uid != getattr(os, "getuid", lambda: st.st_uid)()
                or now - st.st_mtime < older_than):
            continue
        pid = int(m[2]) if m[2] else None
        if pid is not None and (pid == os.getpid() or alive(pid)):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        if not os.path.exists(entry.path):
            removed.append(Path(entry.path))
    return removed
