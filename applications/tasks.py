"""Background tasks of the applications app that a scheduler starts (see README, Deploying), and the
malware scan of each new document, enqueued when the application is stored.

An outbox e-mail's own task, `deliver_email`, lives with the outbox in `applications.emails`."""

from functools import partial

from django.db import transaction
from django_tasks import task

from applications.models import Application, AuditEvent, Document


@task()
def erase_expired_applications() -> dict[str, int]:
    """Erase the personal data of applications whose erase date has come; how many now, and in all."""
    erased = 0
    for application in Application.objects.due_for_erasure().select_related("organisation").iterator():
        with transaction.atomic():
            application.erase()
            AuditEvent.record(AuditEvent.Action.ERASE_BY_SCHEDULE, application.organisation_id, application=application)
        erased += 1
    return {"erased": erased, "in_all": Application.objects.filter(erased_at__isnull=False).count()}


def scan_after_commit(document: Document) -> None:
    """Have `document` scanned once the transaction storing it commits.

    Robust: should enqueuing fail, the document stays pending for `scan_documents`, and the
    callbacks after this one (the candidate's e-mails) still run."""
    transaction.on_commit(partial(scan_document.enqueue, str(document.pk)), robust=True)


@task()
def scan_document(document_pk: str) -> str | None:
    """Have the malware scanner read one document and record its verdict; the status recorded.

    A document already decided (clean, infected) or gone is left alone. A failed scan is not retried
    here: `scan_documents`, run by a scheduler, tries again."""
    document = Document.objects.awaiting_scan().select_related("application").filter(pk=document_pk).first()
    if document is None:
        return None
    status = document.scan()
    return status.value if status else None
