"""A real S3-compatible server on loopback, for the tests of the object storage.

No MinIO server is packaged where our dependencies come from, so the server is
moto's (`moto[server]`, pinned in requirements-dev.txt): a process of its own
that speaks S3's HTTP API, enforces object ACLs against anonymous requests and
keeps the server-side encryption asked for. Each test process starts one, on a
free port, for the whole session.
"""

import ctypes
import signal
import socket
import subprocess
import sys
import time

import boto3
import pytest
from django.core.files.storage import storages

from applications.models import Document

BUCKET = "jobboard-documents"
REGION = "eu-west-1"
CREDENTIALS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}
STARTUP_SECONDS = 20
PR_SET_PDEATHSIG = 1


def die_with_the_tests():
    # On Linux the kernel stops the server when the test process ends, even killed without its teardown.
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class S3Server:
    """moto's S3 server in a process of its own, on 127.0.0.1, with one empty bucket."""

    def __init__(self):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # a line per request: a pipe nobody reads would fill up and block it
            preexec_fn=die_with_the_tests,
        )
        self._wait_until_it_answers()
        self.client().create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})

    def _wait_until_it_answers(self):
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and self._process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(
            f"moto's S3 server did not start on {self.endpoint} (exit code {self._process.returncode}); "
            f"try `{sys.executable} -m moto.server -p {self.port}` to see why."
        )

    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint, region_name=REGION, **CREDENTIALS)

    def storage_options(self) -> dict:
        return {
            "bucket_name": BUCKET,
            "endpoint_url": self.endpoint,
            "region_name": REGION,
            "access_key": CREDENTIALS["aws_access_key_id"],
            "secret_key": CREDENTIALS["aws_secret_access_key"],
        }

    def keys(self) -> list[str]:
        return [item["Key"] for item in self.client().list_objects_v2(Bucket=BUCKET).get("Contents", [])]

    def empty(self):
        for key in self.keys():
            self.client().delete_object(Bucket=BUCKET, Key=key)

    def stop(self):
        if self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


@pytest.fixture(scope="session")
def s3_server():
    server = S3Server()
    yield server
    server.stop()


def use_bucket(server: S3Server, settings, monkeypatch):
    """Make `server`'s bucket the private storage, for the documents' field as for private_storage()."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "applications.storage.PrivateS3Storage", "OPTIONS": server.storage_options()},
    }
    storage = storages["private"]
    # The field took its storage once, when the models were imported.
    monkeypatch.setattr(Document._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def s3_storage(s3_server, settings, monkeypatch):
    """The private storage is the session's bucket for this test, and the bucket is emptied after it."""
    yield use_bucket(s3_server, settings, monkeypatch)
    s3_server.empty()


@pytest.fixture
def own_s3_server(settings, monkeypatch):
    """A server for this test alone, whose bucket is the private storage: the test may stop it."""
    server = S3Server()
    use_bucket(server, settings, monkeypatch)
    yield server
    server.stop()


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def each_private_storage(request):
    """Run the test once on local private files, and once on the bucket of a real S3 server."""
    if request.param == "s3":
        return request.getfixturevalue("s3_storage")
    return storages["private"]
