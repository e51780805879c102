"""The search index a `build` command keeps on disk, as the live preview keeps it in
memory: each document's rows in one file of the cache, the index's shape in another,
and the shards themselves as the site holds them. The next build restores it and
updates the shards an edit changes instead of indexing the archive again.

It is trusted only as far as it is checked: made by the same code, for this output
folder, and every search file the site holds the one it describes (the digests the
output's state records); a shard read back must still have the digest it had. Any
doubt, and the build makes the index afresh (render/pages.py)."""

from __future__ import annotations

import hashlib
import mmap
import os
import pickle
import time
from pathlib import Path

import numpy as np

from .. import urls
from ..fsutil import write_atomically
from ..render.search.index import SearchIndex
from ..render.search.rows import Rows, Unreadable
from .version import code_version

ROW_BYTES = 9  # a row on disk: term id (4 bytes), field (1), frequency (4)


class StoredRows(Rows):
    """Rows held in memory (those made by this build) over rows in a file (the last
    build's): key -> (offset, rows, field lengths) into ``path``."""

    def __init__(self, path: Path | None = None, entries: dict | None = None):
        super().__init__()
        self.path = path
        self.entries: dict[bytes, tuple[int, int, tuple, bytes]] = entries or {}  # + sha1 of the rows' bytes
        self._mapped: mmap.mmap | None = None

    def __contains__(self, key: bytes) -> bool:
        return key in self._held or key in self.entries

    def __getitem__(self, key: bytes) -> tuple:
        if key in self._held:
            return self._held[key]
        offset, n, lengths, digest = self.entries[key]
        data = self._file()[offset : offset + n * ROW_BYTES]
        if len(data) != n * ROW_BYTES or hashlib.sha1(data).digest() != digest:
            raise Unreadable(f"{self.path}: not as written")
        T = np.frombuffer(data, "<u4", n, 0).astype(np.uint32)
        F = np.frombuffer(data, np.uint8, n, 4 * n).copy()
        TF = np.frombuffer(data, "<u4", n, 5 * n).astype(np.uint32)
        return T, F, TF, lengths

    def _file(self) -> mmap.mmap:
        """The rows file, mapped: a word fixed reads one document's rows, a fresh layout
        every document's, and neither reads the file twice."""
        if self._mapped is None:
            try:
                with open(self.path or "", "rb") as handle:
                    self._mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError) as error:  # ValueError: an empty file cannot be mapped
                raise Unreadable(str(error)) from None
        return self._mapped

    def __len__(self) -> int:
        return len(self._held) + sum(1 for k in self.entries if k not in self._held)

    def info(self, key: bytes) -> tuple[int, tuple]:
        if key in self._held:
            return super().info(key)
        _, n, lengths, _ = self.entries[key]
        return n, lengths

    def keep_only(self, keys: set[bytes]) -> None:
        super().keep_only(keys)
        self.entries = {k: v for k, v in self.entries.items() if k in keys}


class SearchState:
    """The kept index of one output folder, in the cache."""

    def __init__(self, folder: Path, out: Path, digest):
        """``folder``: where it is kept (outdir.search_state_dir); ``digest(path)``: the
        sha1 (hex) of a file of the site as the output's state records it, None when it
        is not known."""
        self.folder = folder
        self.out = out
        self.digest = digest
        self._digests: dict[str, str] = {}

    def restore(self) -> SearchIndex | None:
        """The last build's index, when every check passes."""
        try:
            state = pickle.loads((self.folder / "state.pickle").read_bytes())
            if state["version"] != code_version():
                return None
            digests: dict[str, str] = state["files"]
            if any(self.digest(path) != sha for path, sha in digests.items()):
                return None
            rows = StoredRows(self.folder / state["rows"], state["entries"])
            index = SearchIndex.restored(state["index"], rows, self._read)
        except Exception:  # missing, damaged or older: the index is made afresh
            return None
        self._digests = digests
        return index

    def fresh(self) -> SearchIndex:
        """An index that keeps its documents' rows for save(), not its shards'."""
        return SearchIndex(keep=True, keep_shards=False, rows=StoredRows())

    def _digest_of(self, path: str, data: bytes | None) -> str:
        if data is not None:
            return hashlib.sha1(data).hexdigest()
        if path not in self._digests:  # kept as the site has it, yet never described: no state
            raise Unreadable(f"{path}: not described")
        return self._digests[path]

    def _read(self, name: str) -> bytes:
        path = urls.search_index_url(name)
        try:
            data = (self.out / path).read_bytes()
        except OSError as error:
            raise Unreadable(str(error)) from None
        if hashlib.sha1(data).hexdigest() != self._digests.get(path):
            raise Unreadable(f"{path} has changed")
        return data

    def save(self, index: SearchIndex, files: dict[str, bytes | None]) -> None:
        """Keep ``index`` (as ``files`` left it) for the next build. A full or read-only
        cache: nothing kept, the next build indexes afresh."""
        try:
            self._save(index, files)
        except (OSError, Unreadable):  # Unreadable: the last rows file, read to be copied
            # Nothing kept, nothing left to fill a full disk: the next build starts afresh.
            self._remove(self.folder.glob("rows-*.bin"), self.folder / "state.pickle")

    def _save(self, index: SearchIndex, files: dict[str, bytes | None]) -> None:
        rows = index.rows
        assert isinstance(rows, StoredRows)
        (self.folder / "state.pickle").unlink(missing_ok=True)  # killed below: no state over a changed file
        self.folder.mkdir(parents=True, exist_ok=True)
        live = sum(entry[1] for entry in rows.entries.values())
        path = rows.path
        size = path.stat().st_size // ROW_BYTES if path and path.exists() else 0
        entries = dict(rows.entries)
        if path is None or size > 2 * live + 1_000_000:  # mostly rows no document has now: start a new file
            path = self.folder / f"rows-{os.getpid()}-{time.time_ns():x}.bin"
            offset = 0
            pending = ((k, rows[k]) for k in list(entries) + [k for k in rows.held() if k not in entries])
            entries = {}
            mode = "wb"
        else:
            offset = path.stat().st_size
            pending = ((k, rows[k]) for k in rows.held())
            mode = "ab"
        with open(path, mode) as handle:
            for key, (T, F, TF, lengths) in pending:
                n = len(T)
                data = b"".join(
                    [
                        np.ascontiguousarray(T, "<u4").tobytes(),
                        np.ascontiguousarray(F, np.uint8).tobytes(),
                        np.ascontiguousarray(TF, "<u4").tobytes(),
                    ]
                )
                handle.write(data)
                entries[key] = (offset, n, tuple(lengths), hashlib.sha1(data).digest())
                offset += n * ROW_BYTES
        state = {
            "version": code_version(),
            "files": {name: self._digest_of(name, data) for name, data in files.items()},
            "index": index.state(),
            "rows": path.name,
            "entries": entries,
        }
        write_atomically(self.folder / "state.pickle", pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
        self._remove(other for other in self.folder.glob("rows-*.bin") if other.name != path.name)

    @staticmethod
    def _remove(*groups) -> None:
        for group in groups:
            for path in [group] if isinstance(group, Path) else group:
                try:
                    path.unlink(missing_ok=True)
                except OSError:  # not ours to remove (a folder of that name): left alone
                    pass
