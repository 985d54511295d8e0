"""The static site: the view data rendered with the Jinja templates of ``templates/view/`` into
``index.html``, one ``pages/<source id>.html`` per source page and their stylesheet and script in
``assets/`` (nothing is fetched from the network: the pages open from ``file://``).

The site is written whole or not at all: into a temporary folder beside the output, then swapped in.
A folder is replaced only when it is empty or was written by this command (it holds ``MARKER``).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from gaoxin_news.errors import GaoxinError
from gaoxin_news.templating import render_html
from gaoxin_news.view.colours import COLOURS, TEXT
from gaoxin_news.ner.classify import STATUSES
from gaoxin_news.view.data import LAYER_STATUSES, SiteView

MARKER = ".gaoxin-news-view"
CSS = "assets/view.css"
JS = "assets/view.js"

#: What each status looks like, for the legends (the stylesheet draws them).
STATUS_NOTES: dict[str, str] = {
    "correct": "same span, same type (green underline)",
    "missed": "gold, paired with no prediction (dashed border)",
    "spurious": "predicted, paired with no gold entity (red border)",
    "wrong-type": "same span, another type (orange border; the label shows both)",
    "wrong-span": "paired with an overlapping entity of the other layer with other offsets (purple dotted border)",
}


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    y: float
    width: float
    colour: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: tuple[Bar, ...]


def chart(counts: Mapping[str, int], width: int = 560, label_width: int = 110, bar_height: int = 18,
          gap: int = 6) -> Chart:
    """Geometry of a horizontal bar chart of mentions per type: bar length proportional to the count,
    the longest bar filling the plot (room is left for the count printed after each bar)."""
    top = max(counts.values(), default=0) or 1
    plot = width - label_width - 50
    bars = tuple(Bar(t, n, i * (bar_height + gap), plot * n / top, COLOURS[t])
                 for i, (t, n) in enumerate(counts.items()))
    return Chart(width, len(bars) * (bar_height + gap), label_width, bar_height, bars)


def render_site(site: SiteView) -> dict[str, str]:
    """Every file of the site: relative path -> text."""
    common = {"site": site, "colours": COLOURS, "statuses": STATUSES, "layer_statuses": LAYER_STATUSES,
              "status_notes": STATUS_NOTES, "with_pred": site.pred_name is not None}
    files = {
        CSS: render_html("view/view.css", colours=COLOURS, text=TEXT),
        JS: render_html("view/view.js"),
        "index.html": render_html(
            "view/index.html", root="", chart=chart(site.types), n_items=sum(len(p.items) for p in site.pages),
            any_annotation=any(i.annotation is not None for p in site.pages for i in p.items), **common),
    }
    for page in site.pages:
        files[page.file] = render_html("view/page.html", root="../", page=page, **common)
    files[MARKER] = json.dumps({"generator": "gaoxin-news view", "corpus_version": site.version}) + "\n"
    return files


def write_site(files: Mapping[str, str], out: Path) -> Path:
    """Write the site to ``out``, replacing a previous view whole; on any failure nothing changes."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise GaoxinError(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise GaoxinError(f"{out}: not empty and not written by 'gaoxin-news view' (no {MARKER}): "
                          "refusing to replace it; choose a new or empty folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-view-", dir=out.parent))
    try:
        os.chmod(tmp, 0o755)
        for rel, content in files.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8", newline="\n")
        if not out.exists():
            os.replace(tmp, out)
            return out
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-view-", dir=out.parent))
        os.replace(out, old / "site")
        try:
            os.replace(tmp, out)
        except BaseException:
            os.replace(old / "site", out)
            raise
        shutil.rmtree(old)
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
