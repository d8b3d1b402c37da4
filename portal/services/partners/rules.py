"""What a forwarded item's own fields must be, for the partner form, the API, its OpenAPI document
and the forwarding use case alike. Title and description follow the contribution's rules
(`..submissions.rules`)."""
from __future__ import annotations

#: A partner organisation's name, (minimum, maximum) characters.
ORGANISATION_NAME_LENGTH = (2, 160)
#: What an API token is for, (minimum, maximum) characters.
TOKEN_NAME_LENGTH = (1, 120)
#: Characters allowed, (minimum, maximum), once the text is stripped; all three are optional.
REFERENCE_LENGTH = (1, 100)
CONTACT_LENGTH = (1, 200)
POSSIBLE_PARTNERS_LENGTH = (1, 5_000)
#: How many people a relay met, (minimum, maximum), optional.
PEOPLE_COUNT = (1, 100_000)
#: How a relay gathered a need.
GATHERING_METHODS = ("workshop", "questionnaire", "street_stand", "meeting", "other")
