"""Redirect targets that cannot send a visitor to another site."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import redirect, request, url_for


def safe_target(target: str | None) -> str | None:
    """A local path, or None; a control character (a line break would split the Location
    header) makes it unusable."""
    if not target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return None
    return target


def redirect_back(default_endpoint: str, **values):
    """Go to `next` (form or query) when it is local, else to `default_endpoint`."""
    target = safe_target(request.form.get("next") or request.args.get("next"))
    return redirect(target or url_for(default_endpoint, **values))
