"""The client-side search index (index.py), what it holds of each article
(fields.py), each document's rows (rows.py), where a result's page is (results.py)
and how the browser reads the files (reading.py)."""

from .fields import (
    BOOSTS,
    FIELDS,
    body_counts,
    document_fields,
    field_counts,
    heading_counts,
)
from .index import SearchIndex, build_search, search_order
from .reading import read_lengths, read_shard, read_urls, shard_for, shard_names

__all__ = [
    "BOOSTS",
    "FIELDS",
    "SearchIndex",
    "body_counts",
    "build_search",
    "document_fields",
    "field_counts",
    "heading_counts",
    "read_lengths",
    "read_shard",
    "read_urls",
    "search_order",
    "shard_for",
    "shard_names",
]
