from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

from core import limits


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"), max_length=limits.STORY_QUOTE)
    attribution = blocks.CharBlock(label=_("Who said it"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class StoryBlock(blocks.StreamBlock):
    """The blocks an initiative's story and standard pages are written with."""

    heading = blocks.CharBlock(
        label=_("Heading"),
        form_classname="title",
        icon="title",
        max_length=limits.STORY_HEADING,
        template="blocks/heading_block.html",
    )
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=["bold", "italic", "link", "ol", "ul"],
        icon="pilcrow",
        max_length=limits.STORY_PARAGRAPH,
    )
    image = ImageBlock(label=_("Image"), template="blocks/image_block.html")
    quote = QuoteBlock(label=_("Quote"))
    video = EmbedBlock(label=_("Video"), icon="media")


class ThemeBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Theme"), max_length=80)
    description = blocks.TextBlock(
        label=_("Description"), required=False, max_length=limits.THEME_DESCRIPTION
    )

    class Meta:
        icon = "tag"
        template = "blocks/theme_block.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=limits.STORY_HEADING)
    answer = blocks.RichTextBlock(
        label=_("Answer"),
        features=["bold", "italic", "link", "ol", "ul"],
        max_length=limits.STORY_PARAGRAPH,
    )

    class Meta:
        icon = "help"


class FAQBlock(blocks.StructBlock):
    """Questions with their answers, shown as ``<details>`` so each opens without script."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=limits.STORY_HEADING)
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"))

    class Meta:
        icon = "help"
        label = _("Questions and answers")
        template = "blocks/faq_block.html"


class PageBodyBlock(StoryBlock):
    """A standard page's body: the story blocks, and questions with answers."""

    faq = FAQBlock()
