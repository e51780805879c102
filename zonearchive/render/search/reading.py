"""The index's files as the browser reads them (search.js does the same): file
names, the URLs and lengths files, which shard holds a term, a shard scored."""

from __future__ import annotations

import numpy as np

from ..tokenize import term_hash
from . import shardfile
from .results import read_url_files


def shard_file(k: int, name: str) -> str:
    return f"s{k}-{name}.txt"


def lengths_file(k: int, name: str) -> str:
    return f"l{k}-{name}.txt"


def urls_file(k: int, name: str) -> str:
    return f"u{k}-{name}.txt"


def read_urls(manifest: dict, read) -> list[str]:
    """Every document's page URL, by number, as search.js reads them."""
    return read_url_files([read(urls_file(k, c)) for k, c in enumerate(manifest["urls"])])


def read_lengths(manifest: dict, read) -> np.ndarray:
    """Every document's field lengths (documents x fields), as search.js reads them;
    ``read(file name)``: the bytes of a file under search/index/."""
    parts = [
        shardfile.decode_lengths(read(lengths_file(k, c)), len(manifest["fields"]))
        for k, c in enumerate(manifest["lengths"])
    ]
    return np.concatenate(parts) if parts else np.zeros((0, len(manifest["fields"])), np.int64)


def shard_names(manifest: dict) -> list[str | None]:
    """File name of each shard (None: empty), as search.js reads the manifest."""
    return [None if c == "." else shard_file(k, c) for k, c in enumerate(manifest["shards"])]


def shard_for(manifest: dict, term: str) -> str | None:
    """The shard that holds ``term`` (what search.js does)."""
    shards = shard_names(manifest)
    return shards[term_hash(term) & (len(shards) - 1)]


def read_shard(data: bytes, manifest: dict, lengths: np.ndarray):
    return shardfile.read_shard(data, manifest, lengths)
