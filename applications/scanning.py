"""Malware scanning of candidates' documents by ClamAV's daemon, clamd, over its INSTREAM command.

The file is streamed to clamd from the private storage (whatever it is) in chunks, so clamd needs no
access to our files. clamd unpacks what it reads (a DOCX is a ZIP, a PDF has streams) and looks
inside: a document carrying malware is found however it is wrapped.

A document is downloadable only once clamd found it clean (Document.is_downloadable). Where no
scanner is configured, `CLAMAV_REQUIRED` decides: required (the default without DEBUG), documents
stay blocked, so that a production site missing its scanner refuses every download rather than
serving unchecked files; not required (development), they are marked "not scanned" and may be
downloaded. The recording of verdicts is the document's (Document.scan); this module only talks to
clamd and checks the configuration.
"""

from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket
from django.conf import settings
from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning
from django.utils.translation import gettext

# A 10 MB document takes clamd a second or two with the full signature database; a clamd that has
# not answered after this long is stuck. With the immediate task backend the candidate waits that long.
TIMEOUT_SECONDS = 30


class ScanFailed(Exception):
    """clamd gave no verdict: unreachable, too slow, or an error of its own; the message says which."""


def configured() -> bool:
    return bool(settings.CLAMAV_SOCKET or settings.CLAMAV_HOST)


def missing() -> bool:
    """Whether a scanner is required and none is configured: every document is blocked."""
    return settings.CLAMAV_REQUIRED and not configured()


def unscanned_allowed() -> bool:
    """Whether a document no scanner has read may be downloaded: only where none is configured nor required."""
    return not configured() and not settings.CLAMAV_REQUIRED


def describe(document) -> str:
    """What staff read of a document's scan, in the active language: why it is blocked, if it is."""
    status, Status = document.scan_status, document.ScanStatus  # Document's; its module imports this one
    if status == Status.CLEAN:
        return gettext("No malware found")
    if status == Status.INFECTED:
        return gettext("Blocked: %(malware)s") % {"malware": document.scan_detail}
    if status == Status.NOT_SCANNED and unscanned_allowed():
        return gettext("Not scanned: no malware scanner is configured (development only)")
    if missing():
        return gettext("Blocked: no malware scanner is configured")
    if status == Status.FAILED:
        return gettext("Blocked until scanned: the malware scanner is unreachable or failed; retry later")
    return gettext("Waiting for the malware scan; retry in a minute")


def withheld_notice(lines: list[str]) -> str:
    """The README.txt of a ZIP export that left documents out, one "name: why" line each."""
    heading = gettext(
        "These documents were left out: a document can be downloaded only once the malware scanner has found it clean."
    )
    return "\n".join([heading, "", *lines]) + "\n"


def client():
    if settings.CLAMAV_SOCKET:
        return ClamdUnixSocket(settings.CLAMAV_SOCKET, timeout=TIMEOUT_SECONDS)
    return ClamdNetworkSocket(settings.CLAMAV_HOST, settings.CLAMAV_PORT, timeout=TIMEOUT_SECONDS)


def find_malware(file) -> str:
    """The name of the malware clamd finds in `file` (a binary file object, read from where it is), "" if none.

    Raises ScanFailed when clamd gives no verdict."""
    try:
        result = client().instream(file)
    except (ClamdError, OSError) as error:  # OSError: the connection broke while the file was being sent
        raise ScanFailed(str(error) or type(error).__name__) from error
    status, reason = result.get("stream", ("ERROR", "no answer"))
    if status == "OK":
        return ""
    if status == "FOUND" and reason:
        return reason
    raise ScanFailed(reason or status)


@register(Tags.security, deploy=True)
def check_scanner(app_configs, **kwargs):
    if configured():
        return []
    if missing():
        return [
            CheckWarning(
                "No malware scanner is configured: candidates' documents stay blocked, and no recruiter can "
                "download them, until one is.",
                hint="Install clamd (Debian: clamav-daemon), then set CLAMAV_SOCKET, or CLAMAV_HOST and CLAMAV_PORT.",
                id="applications.W001",
            )
        ]
    return [
        CheckWarning(
            "CLAMAV_REQUIRED is off and no malware scanner is configured: recruiters download candidates' "
            "documents unscanned.",
            hint="Set CLAMAV_SOCKET, or CLAMAV_HOST and CLAMAV_PORT, and leave CLAMAV_REQUIRED unset.",
            id="applications.W002",
        )
    ]
