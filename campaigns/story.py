"""Turn the front-end form's plain-text story into StreamField blocks and back."""

import re

from django.utils.html import escape, strip_tags
from wagtail.rich_text import RichText


def text_to_blocks(text):
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return [
        (
            "paragraph",
            RichText("<p>" + "<br/>".join(escape(line) for line in p.split("\n")) + "</p>"),
        )
        for p in paragraphs
    ]


def blocks_to_text(stream):
    parts = []
    for block in stream:
        if block.block_type == "paragraph":
            html = block.value.source.replace("<br/>", "\n").replace("<br>", "\n")
            parts.append(strip_tags(html).strip())
        elif block.block_type == "heading":
            parts.append(str(block.value))
    return "\n\n".join(part for part in parts if part)


def merge_story(existing_stream, text):
    """New text paragraphs, keeping images, quotes and videos a moderator may have added."""
    kept = [
        (block.block_type, block.value)
        for block in existing_stream
        if block.block_type not in ("paragraph", "heading")
    ]
    return text_to_blocks(text) + kept
