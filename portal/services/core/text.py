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


#: French plural and feminine endings folded by `stem`, longest first.
_ENDINGS = (("eaux", "eau"), ("aux", "al"), ("es", ""), ("s", ""), ("x", ""), ("e", ""))
_WORD = re.compile(r"\w+")


def stem(word: str) -> str:
    """A light French stemmer for a normalised word: "laveries", "laverie" -> "laveri",
    "journaux" -> "journal". Short words stay whole ("bus", "les")."""
    for ending, replacement in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: len(word) - len(ending)] + replacement
    return word


def search_words(text: str) -> list[str]:
    """The words a search compares, in order: case, accents and plurals do not matter."""
    return [stem(word) for word in _WORD.findall(normalise(text).replace("_", " "))]


def has_words(text: str, words: str) -> bool:
    """Whether `text` holds every word of `words`, compared as the search index compares them:
    for the few rows searched in Python (the public projects)."""
    return set(search_words(words)) <= set(search_words(text))
