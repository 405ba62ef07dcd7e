from collections import Counter

from django.core.management.base import BaseCommand

from applications import scanning
from applications.models import Document


class Command(BaseCommand):
    help = (
        "Have the malware scanner read the documents still waiting for it (never scanned, or whose scan "
        "failed), here and now; run it every few minutes from a scheduler. It is the safety net for the scans "
        "that follow each application: the scanner was down, or the task never ran."
    )

    def handle(self, *args, **options):
        waiting = list(Document.objects.awaiting_scan().values_list("pk", flat=True))
        counts = Counter()
        for done, pk in enumerate(waiting):
            document = Document.objects.awaiting_scan().select_related("application").filter(pk=pk).first()
            if document is None:  # decided or erased meanwhile
                continue
            status = document.scan()
            counts[status] += 1
            if status == Document.ScanStatus.FAILED and not scanning.missing():
                # Most likely the scanner is down or stuck: the next run tries again, this one stops waiting.
                self.stderr.write(f"The scan failed: {document.scan_detail}")
                left = len(waiting) - done - 1
                if left:
                    self.stderr.write(f"{left} more document(s) left for the next run.")
                break
        if scanning.missing() and waiting:
            self.stderr.write(
                "No malware scanner is configured (CLAMAV_SOCKET or CLAMAV_HOST): documents stay blocked."
            )
        self.stdout.write(
            f"Documents: {counts[Document.ScanStatus.CLEAN]} clean, {counts[Document.ScanStatus.INFECTED]} "
            f"infected (blocked), {counts[Document.ScanStatus.FAILED]} failed, "
            f"{counts[Document.ScanStatus.NOT_SCANNED]} not scanned."
        )
