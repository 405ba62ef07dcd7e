from django.core.management.base import BaseCommand

from applications import emails


class Command(BaseCommand):
    help = (
        "Send the e-mails still waiting in the outbox, here and now (run it every few minutes from a scheduler). "
        "With a task worker it is the safety net for e-mails the worker could not take care of."
    )

    def handle(self, *args, **options):
        sent, not_sent = emails.send_pending()
        self.stdout.write(f"E-mails: {sent} sent, {not_sent} not sent.")
