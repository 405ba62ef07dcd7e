"""A clamd of the tests' own: a temporary Unix socket, a database of one signature, the EICAR test file.

The real signature databases come from ClamAV's servers (freshclam), which tests cannot count on
reaching; ClamAV's own signature for the EICAR test file is one line, written here. clamd starts in
well under a second with it. `make test` installs clamd (scanner-deps): without it the scanning tests
fail, they are never skipped.
"""

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from clamav_client.clamd import ClamdError, ClamdUnixSocket

# The EICAR test file, which every antivirus reports as malware and which does nothing. Written in two
# halves so that this source file itself is not flagged by a scanner on a developer's machine.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
# As in ClamAV's main database: the test file at the start of anything clamd scans, be it a whole file
# or a part it unpacked (a member of a ZIP, a stream of a PDF). clamd adds ".UNOFFICIAL" to its name.
SIGNATURE = f"Eicar-Test-Signature:0:0:{EICAR.hex()}\n"
SIGNATURE_NAME = "Eicar-Test-Signature"
START_SECONDS = 15


def clamd_binary() -> str:
    path = shutil.which("clamd") or shutil.which("clamd", path="/usr/sbin:/usr/local/sbin")
    if path is None:
        pytest.fail("clamd is missing: `make test` installs it (Debian package clamav-daemon).", pytrace=False)
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Clamd:
    """One clamd process on a socket in a temporary directory; stop() and start() it at will."""

    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="clamd-"))  # short: a socket path has 108 bytes at most
        self.socket = str(self.directory / "clamd.sock")
        self.port = free_port()  # clamd listens on both: CLAMAV_SOCKET and CLAMAV_HOST are each tested
        self.config = self.directory / "clamd.conf"
        self.output = self.directory / "clamd.out"
        database = self.directory / "database"
        database.mkdir()
        (database / "eicar.ndb").write_text(SIGNATURE)
        # Foreground, and no log file, pid file or syslog: nothing written outside the directory.
        # Archives (DOCX, ODT) and PDFs are unpacked and their parts scanned, as with Debian's defaults.
        self.config.write_text(
            f"LocalSocket {self.socket}\n"
            f"TCPSocket {self.port}\n"
            "TCPAddr 127.0.0.1\n"
            f"DatabaseDirectory {database}\n"
            f"TemporaryDirectory {self.directory}\n"
            "Foreground yes\n"
            "LogSyslog no\n"
            "ScanArchive yes\n"
            "ScanPDF yes\n"
            "ScanOLE2 yes\n"
        )
        self.process = None

    def start(self):
        if self.is_running():
            return
        with self.output.open("ab") as output:
            self.process = subprocess.Popen(
                [clamd_binary(), "-c", str(self.config)], stdout=output, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"clamd stopped at its start:\n{self.output.read_text()}", pytrace=False)
            if self.answers():
                return
            time.sleep(0.05)
        self.stop()
        pytest.fail(f"clamd did not answer within {START_SECONDS} s:\n{self.output.read_text()}", pytrace=False)

    def answers(self) -> bool:
        try:
            return ClamdUnixSocket(self.socket, timeout=1).ping() == "PONG"
        except (ClamdError, OSError):
            return False

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self):
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def remove(self):
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
