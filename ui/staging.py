"""Uploaded files on disk between the preview and the import: each in a private folder
of its own (0700, the file 0600) named for this process (``analytics.scratch``), so a
later start can remove what a stopped server left.

A staged file goes as soon as it is imported (or found already imported), when it is
dropped from the uploader, and at the latest when the session ends. A file the uploader
still lists after it went in is not staged again: the uploader keeps its list while
other files of the same upload wait (issue 23 found an imported file staged again on
disk after every rerun, for as long as the session lived)."""
from __future__ import annotations

import os
import shutil
import weakref
from pathlib import Path

from analytics import scratch


class Staged:
    """One uploaded file, keyed by the upload's id so two files of the same name stay apart."""

    def __init__(self, upload):
        self.name = upload.name
        self.folder = scratch.make("upload")
        self.path = Path(self.folder) / f"upload{Path(upload.name).suffix.lower()[:8]}"
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(upload.getbuffer())
        self._remove = weakref.finalize(self, shutil.rmtree, self.folder, True)

    def remove(self):
        self._remove()


def stage(uploads, staged: dict[str, Staged], imported: set[str]):
    """Bring ``staged`` (file id → Staged) in line with what the uploader holds: files
    dropped from it are removed from disk, new ones written, and the ones already
    imported (``imported``, their ids) left alone."""
    present = {u.file_id: u for u in uploads or []}
    for file_id in [i for i in staged if i not in present]:
        staged.pop(file_id).remove()
    imported.intersection_update(present)
    for file_id, upload in present.items():
        if file_id not in staged and file_id not in imported:
            staged[file_id] = Staged(upload)


def done(file_id: str, staged: dict[str, Staged], imported: set[str]):
    """The file went in (or was in already): off the disk now, and never staged again."""
    imported.add(file_id)
    item = staged.pop(file_id, None)
    if item is not None:
        item.remove()
