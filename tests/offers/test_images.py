from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from offers.images import validate_image_upload
from tests.factories import make_organisation, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def image_file(name="logo.png", size=(2000, 1000), image_format="PNG", **save_options):
    buffer = BytesIO()
    Image.new("RGB", size, "#1b5e4b").save(buffer, format=image_format, **save_options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_a_logo_is_shrunk_to_web_size_and_re_encoded_as_png():
    organisation = make_organisation()
    organisation.logo = image_file("logo.jpg", image_format="JPEG")
    organisation.save()
    with Image.open(organisation.logo.path) as stored:
        assert stored.format == "PNG"
        assert max(stored.size) == 400
    assert organisation.logo.name.endswith(".png")


def test_a_story_photo_loses_its_metadata():
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    story = make_story(make_organisation())
    story.photo = image_file("photo.jpg", size=(3000, 2000), image_format="JPEG", exif=exif)
    story.save()
    with Image.open(story.photo.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (1200, 800)
        assert not stored.getexif()


def test_a_file_that_is_not_an_image_is_refused():
    fake = SimpleUploadedFile("logo.png", b"MZ\x90\x00 this is an executable", content_type="image/png")
    with pytest.raises(ValidationError, match="image"):
        validate_image_upload(fake)


def test_an_image_above_the_size_limit_is_refused(settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError):
        validate_image_upload(image_file(size=(600, 600), image_format="BMP"))


def test_a_valid_image_passes():
    validate_image_upload(image_file())
