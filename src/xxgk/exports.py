"""Cells and addresses of the files the portal exports (CSV, JSON, Atom, sitemap)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

# A spreadsheet (Excel, WPS) runs a cell starting with these as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value) -> str:
    """A CSV cell that a spreadsheet shows as text: a leading formula character gets a quote (')."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        # Numbers we computed ourselves stay numbers (a negative figure must still sum); they carry no formula.
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def url_path(site_url: str) -> str:
    """Percent-encode a site path (file names may hold spaces, #, ?, %, & or Chinese); '/' stays."""
    return quote(site_url, safe="/")
