from django.core.management.base import BaseCommand
from django.db import transaction

from applications.models import Application, AuditEvent


class Command(BaseCommand):
    help = "Erase the personal data of applications whose erase date has come (run it daily)."

    def handle(self, *args, **options):
        erased = 0
        for application in Application.objects.due_for_erasure().select_related("organisation").iterator():
            with transaction.atomic():
                application.erase()
                AuditEvent.record(
                    AuditEvent.Action.ERASE_BY_SCHEDULE, application.organisation_id, application=application
                )
            erased += 1
        remaining = Application.objects.filter(erased_at__isnull=False).count()
        self.stdout.write(f"Applications: {erased} erased now, {remaining} erased in all.")
