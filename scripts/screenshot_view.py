"""Screenshot a page of a site written by 'gaoxin-news view' in headless Chromium (Debian's chromium,
driven by Playwright; no browser is downloaded).

    python scripts/screenshot_view.py SITE/pages/<id>.html docs/view.png [--width 1400] [--height 1000]

The README's docs/view.png is made this way from 'gaoxin-news view --out /tmp/view'.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("GAOXIN_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("page", type=Path)
    ap.add_argument("png", type=Path)
    ap.add_argument("--width", type=int, default=1400)
    ap.add_argument("--height", type=int, default=1000)
    ap.add_argument("--block", default="", help="follow this block's role link first, e.g. i01-b05")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": args.width, "height": args.height})
        page = ctx.new_page()
        page.goto(args.page.resolve().as_uri())
        page.wait_for_load_state("load")
        if args.block:
            page.locator(f"#{args.block} > a.role").evaluate("el => el.click()")  # no scrolling to it
        page.screenshot(path=str(args.png))
        ctx.close()
    print(args.png)


if __name__ == "__main__":
    main()
