"""zonearchive: raw Chinese newspaper pages -> articles -> a static, searchable site.

The package reads in three stages, one sub-package each:
``ingest`` (raw page text -> Article), ``articles`` (zones, ids, sources),
``site`` (URLs, templates, search shards, the one writer).
"""

__version__ = "0.1.0"
