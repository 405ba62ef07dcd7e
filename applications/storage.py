from functools import cached_property

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class StorageUnavailable(OSError):
    """The private storage did not answer: down, unreachable, or refusing our credentials.

    Nothing is lost: the same request may succeed a minute later. A file that is
    simply not there raises FileNotFoundError instead.
    """


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


class PrivateS3Storage(S3Storage):
    """Candidates' documents in an S3-compatible bucket, private and encrypted, with no URL at all.

    Whatever the options say, each object is written without an ACL (so only the
    bucket's owner reads it), under a name never used before, with server-side
    encryption asked for (AES256 unless the options name another scheme, e.g.
    aws:kms); url() refuses, as PrivateStorage's does. Reading streams the object
    chunk by chunk: django-storages' own S3File would first copy it whole into
    memory, and a ZIP of an offer's documents must cost no more than a chunk.
    """

    # A server that does not answer must give the candidate or the recruiter a clear
    # page within seconds, before the web server's own timeout turns it into a 502:
    # boto3's defaults wait a minute to connect, and retry five times.
    CLIENT_DEFAULTS = Config(connect_timeout=5, read_timeout=20, retries={"mode": "standard", "max_attempts": 3})

    def __init__(self, **options):
        super().__init__(**options)
        self.default_acl = None
        self.querystring_auth = True
        self.file_overwrite = False
        self.object_parameters = {"ServerSideEncryption": "AES256", **self.object_parameters}
        self.client_config = self.CLIENT_DEFAULTS.merge(self.client_config)

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no URL; staff download them through a permission-checked view.")

    def delete(self, name):
        try:
            super().delete(name)
        except (BotoCoreError, ClientError) as error:
            raise StorageUnavailable(f"The bucket did not delete {name}: {error}") from error

    def _open(self, name, mode="rb"):
        if "w" in mode:
            return super()._open(name, mode)
        key = self._normalize_name(clean_name(name))
        try:
            found = self.bucket.Object(key).get()
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                raise FileNotFoundError(f"No object {key} in the bucket.") from None
            raise StorageUnavailable(f"The bucket refused to give {key}: {error}") from error
        except BotoCoreError as error:
            raise StorageUnavailable(f"The bucket did not answer for {key}: {error}") from error
        stream = File(found["Body"], name)
        stream.size = found["ContentLength"]
        return stream
