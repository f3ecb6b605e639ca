"""Small self-contained HTML reports shared by the algorithms' OUTPUT_HTML outputs."""

import base64
import html
import io

from ._i18n import tr
from ._io import write_text

_CSS = (
    "body{font-family:sans-serif;max-width:1000px;margin:2em auto}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
    "th{background:#f0f0f0}.warn{color:#a00}img{max-width:100%}"
)


def figure_png_base64(fig, dpi=110):
    """A matplotlib figure as a base64 PNG, to embed as ``data:image/png;base64,...``."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def html_table(header, rows):
    """A table of escaped text cells."""
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def html_list(lines):
    return "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>"


def write_html(path, title, sections, intro=""):
    """Write a self-contained HTML page atomically (``_io.write_text``).

    ``sections``: list of (heading, trusted HTML body); ``intro``: trusted HTML
    placed under the title.
    """
    # Headings and title in the plugin's language (English literals are extracted by tools/i18n.py).
    title = tr(title)
    body = "".join(f"<h2>{html.escape(tr(h))}</h2>{b}" for h, b in sections)
    text = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{_CSS}</style></head><body><h1>{html.escape(title)}</h1>{intro}{body}</body></html>"
    )
    return write_text(path, text)
