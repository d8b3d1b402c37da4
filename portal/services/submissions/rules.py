"""What a contribution's text, and the texts moderators write about it, must be, for the forms,
the API, its OpenAPI document and the services alike. Bounds are (minimum, maximum) characters."""
from __future__ import annotations

#: Characters allowed in a title and in a description.
TITLE_LENGTH = (8, 160)
BODY_LENGTH = (30, 10_000)
#: "For whom", optional.
TARGET_PUBLIC_LENGTH = (1, 160)
#: Characters of a search query in the API, at most.
SEARCH_LENGTH = 200

#: A comment under a contribution.
COMMENT_LENGTH = (2, 5000)
#: The public reason of a refusal, and a moderator's public answer.
DECLINE_REASON_LENGTH = (10, 5000)
ANSWER_LENGTH = (1, 5000)
#: What a moderator asks the author to complete.
DETAILS_MESSAGE_LENGTH = (1, 2000)
#: The optional details of a flag.
FLAG_DETAILS_LENGTH = (1, 1000)
#: A reply template: its name and its text.
TEMPLATE_TITLE_LENGTH = (1, 120)
TEMPLATE_BODY_LENGTH = (1, 5000)
#: One tag, and the comma-separated list typed in a form.
TAG_LENGTH = (1, 60)
TAGS_TEXT_LENGTH = (1, 300)
#: An internal note of the team on a contribution.
INTERNAL_NOTE_LENGTH = (1, 5000)
