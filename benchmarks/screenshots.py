"""README screenshots of the seed site: home, an article, and the end of an article
(source line, related articles, 引用本文), phone and desktop, light and dark. Needs
Debian's chromium and a CJK font (fonts-noto-cjk). The build records the seed site's
URLs in seeds/published-urls.txt, as every `build` does.

    python benchmarks/screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from conftest import CHROMIUM, CHROMIUM_FLAGS, StaticServer  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from zonearchive.builder import build  # noqa: E402
from zonearchive.config import load_settings  # noqa: E402

ARTICLE = "articles/000_5b8fe1ee034655b8-01/"
SHOTS = {"home": ("", None), "article": (ARTICLE, None), "cite": (ARTICLE, ".story-foot")}
DEVICES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def main():
    out = Path(tempfile.mkdtemp()) / "site"
    build(load_settings(ROOT, environ={}), out)
    server = StaticServer(out, "zonearchive")
    target = ROOT / "docs" / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        for page_name, (path, scroll_to) in SHOTS.items():
            for device, viewport in DEVICES.items():
                for scheme in ("light", "dark"):
                    context = browser.new_context(viewport=viewport, color_scheme=scheme, device_scale_factor=1)
                    page = context.new_page()
                    page.goto(server.url + path)
                    if scroll_to:
                        page.locator(scroll_to).scroll_into_view_if_needed()
                        page.evaluate("sel => document.querySelector(sel).scrollIntoView({block: 'start'})", scroll_to)
                    page.screenshot(path=str(target / f"{page_name}-{device}-{scheme}.png"))
                    context.close()
        browser.close()
    server.close()
    print(f"wrote {len(SHOTS) * len(DEVICES) * 2} screenshots to {target}")


if __name__ == "__main__":
    main()
