"""Text at the door (no control character) and for search (case and accents do not matter)."""
from __future__ import annotations

import re
import unicodedata

#: C0 and C1 control characters but tab and line breaks: they break XML feeds and terminals.
#: (A character class body, also written into the API's JSON Schema patterns.)
CONTROL_CLASS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
CONTROL_CHARACTERS = re.compile(f"[{CONTROL_CLASS}]")
#: The same characters as JSON escapes (\u0000 to \u001f but tab and line breaks, \u007f-\u009f).
ESCAPED_CONTROL_CHARACTERS = re.compile(
    rb"\\u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])")


def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
