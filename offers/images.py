"""Images uploaded by staff: checked by Pillow, bounded, re-encoded to web size.

Re-encoding drops whatever the original file carried besides pixels
(metadata, trailing payloads) and keeps pages light.
"""

from io import BytesIO
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Decoding a huge canvas costs memory whatever the file size.
MAX_PIXELS = 40_000_000


def validate_image_upload(file) -> None:
    if file.size > settings.MAX_IMAGE_UPLOAD_BYTES:
        limit = settings.MAX_IMAGE_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError(_("This image is too large: %(limit)s MB at most.") % {"limit": limit})
    try:
        file.seek(0)
        with Image.open(file) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("This image has too many pixels."))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("This file is not an image we can read (use PNG, JPEG or WebP).")) from None
    finally:
        file.seek(0)


def reencode(file, max_size: tuple[int, int], keep_transparency: bool) -> ContentFile:
    """Return the image shrunk to fit `max_size`, as PNG (transparency) or JPEG."""
    file.seek(0)
    with Image.open(file) as original:
        image = ImageOps.exif_transpose(original)
        image.thumbnail(max_size)
        buffer = BytesIO()
        stem = PurePath(file.name).stem[:80] or "image"
        if keep_transparency:
            image = image.convert("RGBA")
            image.save(buffer, format="PNG", optimize=True)
            name = f"{stem}.png"
        else:
            image = image.convert("RGB")
            image.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
            name = f"{stem}.jpg"
    return ContentFile(buffer.getvalue(), name=name)


class WebImageField(models.ImageField):
    """An ImageField whose new uploads are validated and re-encoded on save."""

    def __init__(self, *args, max_size=(800, 800), keep_transparency=False, **kwargs):
        self.max_size = tuple(max_size)
        self.keep_transparency = keep_transparency
        kwargs.setdefault("validators", [validate_image_upload])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["max_size"] = self.max_size
        kwargs["keep_transparency"] = self.keep_transparency
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            content = reencode(file, self.max_size, self.keep_transparency)
            file.save(content.name, content, save=False)
        return super().pre_save(model_instance, add)
