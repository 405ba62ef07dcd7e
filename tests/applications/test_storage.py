import stat

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages


def test_private_files_are_readable_by_their_owner_only(settings):
    storage = storages["private"]
    name = storage.save("documents/cv.pdf", ContentFile(b"%PDF-1.4\n"))
    path = settings.PRIVATE_MEDIA_ROOT / name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@pytest.mark.usefixtures("each_private_storage")
def test_private_files_have_no_url():
    with pytest.raises(ValueError):
        storages["private"].url("documents/cv.pdf")
