"""What an account's fields must be, for the forms, the CLI and the services alike.
Bounds are (minimum, maximum) characters."""
from __future__ import annotations

import re
import unicodedata

EMAIL_LENGTH = (3, 254)
DISPLAY_NAME_LENGTH = (2, 80)
PASSWORD_LENGTH = (10, 200)
#: One "@", something on both sides, no spaces: the forms check more, the mail server the rest.
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

#: What no resident's display name may contain once normalised: it would pass for the Fabrique
#: or its team ("Modération", "L'administrateur", "Fabr1que"...).
RESERVED_NAME_STEMS = ("fabrique", "moderat", "administrat")
#: Letters and signs that read like another letter: digits, symbols, Cyrillic and Greek look-alikes.
CONFUSABLES = str.maketrans({
    "0": "o", "1": "i", "l": "i", "|": "i", "!": "i", "3": "e", "4": "a", "@": "a", "5": "s",
    "$": "s", "7": "t", "8": "b", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x",
    "у": "y", "і": "i", "ј": "j", "ο": "o", "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v",
    "ρ": "p", "τ": "t",
})


def name_key(name: str) -> str:
    """A display name reduced to what a reader sees: no accents, case, spaces, punctuation,
    and look-alike characters mapped to the letter they imitate."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^a-z]", "", plain.translate(CONFUSABLES))


def impersonates(name: str, staff_names: list[str]) -> bool:
    """True when `name` could be read as the Fabrique, its team, or one of its staff."""
    key = name_key(name)
    return (any(stem in key for stem in RESERVED_NAME_STEMS)
            or any(key == name_key(staff) for staff in staff_names if name_key(staff)))
