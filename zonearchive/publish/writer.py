"""The one place that writes the site. A build writes into a staging folder beside
the output and swaps it in with one atomic rename, so a build killed at any moment
leaves the previous site complete.

The staging folder starts as a mirror of the current site (hard links, no copying):
a build only replaces the files whose bytes changed and removes the ones no longer
made, so a one-article edit touches a handful of files, not tens of thousands. After
the swap the old tree is brought up to date the same way and kept as the next
build's mirror ("spare"). What the site holds (each file's digest, each page's render
key) is kept in a state file in the cache, so unchanged files are never read back.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import posixpath
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ZoneArchiveError
from ..fsutil import write_atomically
from ..i18n import _
from .guard import MARKER, MARKER_TEXT, clean_stale_staging
from .tree import (
    clone,
    clone_later,
    clone_now,
    existing_files,
    folder_stamp,
    read,
    remove,
    remove_later,
    spare_name,
    staging_name,
    swap,
    sync,
    unlink,
)


@dataclass
class CommitStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    changed: set = field(default_factory=set)  # paths written or removed


@dataclass
class SiteState:
    """What the output folder holds, as the last commit left it."""

    generation: str = ""
    folder: str = ""  # inode and mtime of the output folder: another folder there voids the state
    files: dict = field(default_factory=dict)  # path -> sha1 of the bytes
    keys: dict = field(default_factory=dict)  # path -> key of what made it
    deps: dict = field(default_factory=dict)  # path -> what its render loaded and read (render.deps.Deps)

    @classmethod
    def load(cls, path: Path | None) -> SiteState:
        try:
            data = pickle.loads(path.read_bytes()) if path else {}
            return cls(data["generation"], data["folder"], data["files"], data["keys"], data["deps"])
        except Exception:  # missing, damaged or older: the site is compared by reading it
            return cls()

    def describes(self, folder: Path) -> bool:
        """Is ``folder`` the very folder the last commit swapped in, untouched at its top?"""
        return bool(self.generation) and self.folder == folder_stamp(folder)

    def save(self, path: Path | None) -> None:
        if path:
            try:
                write_atomically(
                    path,
                    pickle.dumps(
                        {
                            "generation": self.generation,
                            "folder": self.folder,
                            "files": self.files,
                            "keys": self.keys,
                            "deps": self.deps,
                        }
                    ),
                )
            except OSError:  # a full disk: the next build compares the site by reading it
                path.unlink(missing_ok=True)


class Output:
    """The site being built. Files are claimed in any order; commit() swaps the
    staging folder in atomically, abort() throws it away. Two writers of one path is
    an error, as is a path outside the site. ``state``: kept in memory by the live
    preview between builds, else read from and written to ``state_path``.
    The caller holds the output's lock (guard.OutputLock) and has checked the folder."""

    def __init__(self, out_dir: Path, state_path: Path | None = None, state: SiteState | None = None):
        self.out_dir = Path(out_dir)
        self.state_path = state_path
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        old = state if state is not None else SiteState.load(state_path)
        if not (old.generation and old.folder == folder_stamp(self.out_dir)):
            old = SiteState(files=existing_files(self.out_dir))  # digests unknown: compared by reading
        self.old = old
        self.state = SiteState()
        self.staging = staging_name(self.out_dir)
        spare = spare_name(self.out_dir, old.generation)
        clean_stale_staging(self.out_dir, keep=spare)
        self.owners: dict[str, str] = {}
        self.stats = CommitStats()
        self._folders: set[str] = set()
        self._old_tree: Path | None = None
        self._mirrored = False  # the staging tree began as the kept mirror of the current site
        try:
            if old.generation and spare.is_dir():
                os.rename(spare, self.staging)  # the kept mirror of the current site
                self._mirrored = True
            elif self.out_dir.is_dir():
                present = clone(self.out_dir, self.staging)
                old.files = {rel: v for rel, v in old.files.items() if rel in present}  # deleted by hand: made again
            else:
                self.staging.mkdir()
            self.add(MARKER, MARKER_TEXT, "zonearchive (the output marker)")
        except BaseException:  # a full disk mid-clone: no half mirror left behind
            self.abort()
            raise

    def _claim(self, path: str, owner: str) -> str:
        rel = posixpath.normpath(path) if path else "."
        if rel.startswith("/") or rel == "." or rel == ".." or rel.startswith("../"):
            raise ZoneArchiveError(owner, _("refuses to write outside the site: {path!r}").format(path=path))
        if rel in self.owners:
            raise ZoneArchiveError(
                owner, _("writes {path}, which {other} already writes").format(path=rel, other=self.owners[rel])
            )
        self.owners[rel] = owner
        return rel

    def recorded(self, path: str):
        """What the render of ``path`` loaded and read last time, if it was rendered."""
        return self.old.deps.get(path) if path in self.old.files else None

    def digest(self, path: str) -> str | None:
        """The sha1 (hex) of ``path`` as the current site holds it, when the state knows it."""
        value = self.old.files.get(path)
        return value if isinstance(value, str) else None

    def reuse(self, path: str, key: str, owner: str) -> bool:
        """Keep ``path`` as it is when it was made from the same key last time."""
        if self.old.keys.get(path) != key or path not in self.old.files:
            return False
        rel = self._claim(path, owner)
        self.state.keys[rel] = key
        if rel in self.old.deps:
            self.state.deps[rel] = self.old.deps[rel]
        self.state.files[rel] = self.old.files[rel]
        self.stats.unchanged += 1
        return True

    def keep(self, path: str, owner: str) -> None:
        """Keep ``path`` as the current site holds it (its digest known: see digest())."""
        rel = self._claim(path, owner)
        digest = self.old.files.get(rel)
        if not isinstance(digest, str):
            raise ZoneArchiveError(owner, _("cannot keep {path}: the site does not hold it").format(path=rel))
        self.state.files[rel] = digest
        self.stats.unchanged += 1

    def carry_over(self, keep) -> None:
        """Keep as they are the current site's files that ``keep(path)`` accepts and
        nothing in this build claims (the live preview publishes its pages before
        it remakes the search files)."""
        for rel, digest in self.old.files.items():
            if rel not in self.owners and keep(rel):
                self.owners[rel] = "the previous build"
                self.state.files[rel] = digest
                if rel in self.old.keys:
                    self.state.keys[rel] = self.old.keys[rel]
                if rel in self.old.deps:
                    self.state.deps[rel] = self.old.deps[rel]

    def add(self, path: str, data: bytes | str, owner: str, key: str | None = None, deps=None) -> None:
        rel = self._claim(path, owner)
        if key:
            self.state.keys[rel] = key
        if deps is not None:
            self.state.deps[rel] = deps
        data = data.encode("utf-8") if isinstance(data, str) else data
        digest = hashlib.sha1(data).hexdigest()
        self.state.files[rel] = digest
        before = self.old.files.get(rel)
        target = os.path.join(self.staging, rel)  # strings, not Paths: this runs for every file
        if before == digest or (isinstance(before, int) and before == len(data) and read(target) == data):
            self.stats.unchanged += 1  # already in the mirror
            return
        folder = os.path.dirname(target)
        if folder not in self._folders:
            try:
                os.mkdir(folder)  # usually the parent exists: one call, not makedirs' walk
            except FileExistsError:
                pass
            except FileNotFoundError:
                os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        if before is not None:
            unlink(target)  # a hard link shared with the live site: never write through it
        with open(target, "wb") as handle:
            handle.write(data)
        self.stats.written += 1
        self.stats.changed.add(rel)

    def commit(self, settle_later: bool = False) -> CommitStats:
        """Swap the new site in. The old tree then becomes the next build's mirror:
        at once, or when settle() is called (the preview does it while idle)."""
        removed = sorted(set(self.old.files) - set(self.owners))
        for rel in removed:
            remove(self.staging, rel)
        self.stats.removed = len(removed)
        self.stats.changed |= set(removed)
        if self.state_path:
            self.state_path.unlink(missing_ok=True)  # killed mid-swap: no stale state, just a full compare next time
        self.state.generation = f"{time.time_ns():x}-{os.getpid()}"
        try:
            old_tree = swap(self.staging, self.out_dir)
        except BaseException:
            self.abort()
            raise
        self.state.folder = folder_stamp(self.out_dir)
        self._old_tree = old_tree
        if not settle_later:
            self.settle(sync_at_most=SYNC_AT_MOST)
        self.state.save(self.state_path)
        return self.stats

    def settle(self, sync_at_most: int | None = None) -> None:
        """Turn the old tree into the mirror of the new site: by syncing the changed
        files into it, or, when very many changed, by a fresh clone in the background."""
        old_tree, self._old_tree = self._old_tree, None
        spare = spare_name(self.out_dir, self.state.generation)
        if old_tree is not None and folder_stamp(self.out_dir) != self.state.folder:
            remove_later(old_tree)  # another build has swapped in since: this tree mirrors nothing
            return
        if old_tree is not None and (sync_at_most is None or len(self.stats.changed) <= sync_at_most):
            try:
                sync(old_tree, self.out_dir, self.stats.changed, self.owners)
                os.rename(old_tree, spare)
            except OSError:  # a full disk: the new site is in; the next build clones a mirror
                shutil.rmtree(old_tree, ignore_errors=True)
        elif old_tree is not None or not spare.exists():
            here = len(self.state.files) <= CLONE_HERE_AT_MOST  # a small site: no process to start
            if old_tree is not None and here:
                shutil.rmtree(old_tree, ignore_errors=True)
            elif old_tree is not None:
                remove_later(old_tree)
            (clone_now if here else clone_later)(self.out_dir, spare)

    def abort(self) -> None:
        if self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)

    def give_back(self) -> None:
        """Abort, but keep the staging tree as the mirror of the current site when it
        began as one: the files written into it are linked back from the site. (The
        preview stops a search step when the next edit comes; without its mirror, the
        next build would clone the whole site first: a second at 10,000 articles.)"""
        if not self._mirrored or folder_stamp(self.out_dir) != self.old.folder:
            return self.abort()
        try:
            sync(self.staging, self.out_dir, self.stats.changed, self.old.files)
            os.rename(self.staging, spare_name(self.out_dir, self.old.generation))
        except OSError:
            self.abort()


SYNC_AT_MOST = 2000  # changed files; beyond that a fresh mirror is made in the background
CLONE_HERE_AT_MOST = 1000  # files; a mirror of a site this small is made at once, in this process
