"""Site: URLs, rendering, search shards and the one writer of output files."""
