"""What a contribution's text must be, for the forms, the API, its OpenAPI document and the
services alike."""
from __future__ import annotations

#: Characters allowed in a title and in a description, (minimum, maximum).
TITLE_LENGTH = (8, 160)
BODY_LENGTH = (30, 10_000)
#: "For whom", optional.
TARGET_PUBLIC_LENGTH = (1, 160)
#: Characters of a search query in the API, at most.
SEARCH_LENGTH = 200
