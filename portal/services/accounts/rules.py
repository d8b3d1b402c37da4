"""What an account's fields must be, for the forms, the CLI and the services alike.
Bounds are (minimum, maximum) characters."""
from __future__ import annotations

import re

EMAIL_LENGTH = (3, 254)
DISPLAY_NAME_LENGTH = (2, 80)
PASSWORD_LENGTH = (10, 200)
#: One "@", something on both sides, no spaces: the forms check more, the mail server the rest.
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
