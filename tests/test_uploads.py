"""Front-end image uploads are limited in pixels as well as bytes, read from the header."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from accounts.forms import OrganisationForm
from campaigns.views.updates import UpdateForm
from core.forms import ImageUploadField


def _chunk(kind, data):
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def huge_png(side=12_845):
    """A valid black-and-white PNG of ``side`` × ``side`` pixels (165 Mpx) in about 20 KB."""
    row = b"\x00" * (1 + (side + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data)
    return png + _chunk(b"IEND", b"")


def small_png():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, "PNG")
    return out.getvalue()


def upload(content, name="foto.png"):
    return SimpleUploadedFile(name, content, content_type="image/png")


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_the_huge_png_is_small_in_bytes():
    content = huge_png()
    assert len(content) < 40_000
    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (12_845, 12_845)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The image has more than 50 megapixels."),
        ("nl", "De afbeelding heeft meer dan 50 megapixels."),
    ],
)
def test_an_image_with_too_many_pixels_is_refused_with_a_clear_message(language, message):
    form = UpdateForm(
        data={"title": "Nieuws", "body": "Tekst"}, files={"image": upload(huge_png())}
    )
    with translation.override(language):
        assert not form.is_valid()
        assert message in form.errors["image"][0]


def test_the_limit_follows_wagtails_setting(settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1_000
    with translation.override("en"), pytest.raises(Exception, match="more than 0 megapixels"):
        ImageUploadField().clean(upload(small_png()))
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1_200
    assert ImageUploadField().clean(upload(small_png())).name == "foto.png"


def test_a_normal_image_is_accepted_and_still_readable_afterwards():
    field = ImageUploadField()
    cleaned = field.clean(upload(small_png()))
    cleaned.seek(0)
    with Image.open(cleaned) as image:
        image.load()
        assert image.size == (40, 30)


@pytest.mark.django_db
def test_the_organisation_logo_has_the_same_limit():
    form = OrganisationForm(
        data={"kind": "business", "name": "Bakkerij"}, files={"logo_upload": upload(huge_png())}
    )
    assert not form.is_valid()
    assert "megapixels" in form.errors["logo_upload"][0]


def test_a_file_that_is_no_image_gets_the_usual_message():
    with translation.override("en"), pytest.raises(Exception, match="not an image we can read"):
        ImageUploadField().clean(upload(b"not a picture at all", name="x.png"))
