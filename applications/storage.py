from functools import cached_property

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Candidates' documents on local disk, under PRIVATE_MEDIA_ROOT, with no URL at all.

    Files are readable by their owner only. The location is read from the
    settings when first needed (and again when a test changes it), like
    FileSystemStorage does for MEDIA_ROOT.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**kwargs)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def url(self, name):
        # FileSystemStorage would fall back to MEDIA_URL: these files have no URL.
        raise ValueError("Private files have no URL; staff download them through a permission-checked view.")

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)
