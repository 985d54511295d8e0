"""Rendering of the published text files from the Jinja2 templates in ``gaoxin_news/templates``.

Undefined variables are errors (a typo in a template must not silently print nothing), and the
output ends with exactly one newline, so generated files are byte-stable.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("gaoxin_news", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["pct"] = lambda x, digits=1: f"{100 * x:.{digits}f}%"
    env.filters["fixed"] = lambda x, digits=3: f"{x:.{digits}f}"
    env.filters["thousands"] = lambda n: f"{n:,}"
    env.filters["points"] = lambda x: "–" if x is None else f"{100 * x:.1f}"  # a share in percentage points
    env.filters["signed_points"] = lambda x: f"{100 * x:+.1f}"  # a difference of shares, in points, signed
    return env


@cache
def html_environment() -> jinja2.Environment:
    """The same loader for HTML pages, with autoescaping: text from the corpus is never markup."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("gaoxin_news", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=jinja2.select_autoescape(["html"]),
    )
    env.filters["thousands"] = lambda n: f"{n:,}"
    return env


def render_html(name: str, **context: Any) -> str:
    """Render an HTML (or CSS, JS) template of the view; trailing blank lines normalised to one newline."""
    text = html_environment().get_template(name).render(**context)
    return text.rstrip() + "\n"


def render(name: str, **context: Any) -> str:
    """Render template ``name`` with ``context``; normalise trailing blank lines to one newline."""
    text = environment().get_template(name).render(**context)
    return text.rstrip() + "\n"
