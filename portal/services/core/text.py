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
    return [stem(word) for word in _words(text)]


def _words(text: str) -> list[str]:
    return _WORD.findall(normalise(text).replace("_", " "))


#: The words PostgreSQL's French text search leaves out of a query (its `french.stop`, less the
#: accented entries: the portal unaccents the text first, so those never match). A search on
#: SQLite or in Python leaves them out too: "l'épicerie" or "la laverie" find the same there.
FRENCH_STOP_WORDS = frozenset({
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux",
    "il", "je", "la", "le", "leur", "lui", "ma", "mais", "me", "mes", "moi", "mon", "ne",
    "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se",
    "ses", "son", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre",
    "vous", "c", "d", "j", "l", "m", "n", "s", "t", "y", "suis", "es", "est", "sommes", "sont",
    "serai", "seras", "sera", "serons", "serez", "seront", "serais", "serait", "serions",
    "seriez", "seraient", "fus", "fut", "furent", "sois", "soit", "soyons", "soyez", "soient",
    "fusse", "fusses", "fussions", "fussiez", "fussent", "ayant", "ayante", "ayantes",
    "ayants", "eu", "eue", "eues", "eus", "ai", "as", "avons", "avez", "ont", "aurai", "auras",
    "aura", "aurons", "aurez", "auront", "aurais", "aurait", "aurions", "auriez", "auraient",
    "avais", "avait", "avions", "aviez", "avaient", "eut", "eurent", "aie", "aies", "ait",
    "ayons", "ayez", "aient", "eusse", "eusses", "eussions", "eussiez", "eussent",
})


def query_words(text: str) -> list[str]:
    """The words of a search that are looked for, normalised, in order: the stop words left out
    (an empty list when the search holds nothing else: punctuation, "de", "la"...)."""
    return [word for word in _words(text) if word not in FRENCH_STOP_WORDS]


def has_words(text: str, words: str) -> bool:
    """Whether `text` holds every word looked for in `words`, compared as the search index
    compares them: for the few rows searched in Python (the public projects)."""
    wanted = {stem(word) for word in query_words(words)}
    if not wanted:  # nothing looked for; "?!" or "de" alone finds nothing, as with the index
        return not words.strip()
    return wanted <= set(search_words(text))


#: A word found in the title counts this many times a word found in the text, in every search
#: (the contributions' index, the rows searched in Python): a contribution about a laverie comes
#: before one that names a laverie in passing.
TITLE_WEIGHT = 2.5


def relevance(title: str, text: str, words: str) -> float:
    """How much `title` and `text` are about `words`, for the rows searched in Python: each time
    a word looked for comes back, a word of the title counting TITLE_WEIGHT times one of the
    text (the more often, the more relevant)."""
    wanted = {stem(word) for word in query_words(words)}
    return (TITLE_WEIGHT * sum(word in wanted for word in search_words(title))
            + sum(word in wanted for word in search_words(text)))
