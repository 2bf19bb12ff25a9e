"""How long free text may be, in one place, for the models and the forms that fill them.

A CharField carries its limit in the database already. A TextField does not: Django
passes ``max_length`` on to its form field but checks it nowhere else, so the text
fields below also get a validator (:func:`text_limit`), and the front-end forms use
:class:`core.forms.LimitedTextField`, whose message names the limit and the length.
The numbers are generous for honest use and small enough that one post cannot flood a
page, a mail or the database.
"""

from django.core.validators import MaxLengthValidator

# Initiatives
INITIATIVE_TITLE = 120
INITIATIVE_SUMMARY = 300
INITIATIVE_STORY = 20_000
STORY_HEADING = 120
STORY_PARAGRAPH = 5_000
STORY_QUOTE = 1_000
THEME_DESCRIPTION = 1_000
MODERATOR_NOTE = 2_000
CANCEL_REASON = 1_000
# Updates
UPDATE_TITLE = 140
UPDATE_BODY = 10_000
# Impact after realisation
IMPACT_STORY = 3_000
IMAGE_ALT_TEXT = 200
# Tasks and offers
TASK_DESCRIPTION = 2_000
ACCESSIBILITY_NOTES = 200
REGISTER_MESSAGE = 1_000
# Organisations and people
ORGANISATION_DESCRIPTION = 2_000
DISPLAY_NAME = 80
# Donations
PUBLIC_NAME = 80
PLEDGE_MESSAGE = 500
# Abuse reports
REPORT_TEXT = 1_000
# The contact form
CONTACT_NAME = 80
CONTACT_SUBJECT = 140
CONTACT_MESSAGE = 3_000


def text_limit(limit):
    """The validators of a model TextField limited to ``limit`` characters."""
    return [MaxLengthValidator(limit)]
