"""A PDF page read from its geometry: glyphs (glyphs.py) -> blocks and lines in
reading order (geometry.py) -> articles (page.py)."""
