from django.core.management.base import BaseCommand

from applications.tasks import erase_expired_applications


class Command(BaseCommand):
    help = "Erase the personal data of applications whose erase date has come (run it daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Leave the work to the task worker (TASKS_BACKEND=database) instead of doing it here.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = erase_expired_applications.enqueue()
            self.stdout.write(f"Applications: erasure enqueued (task {result.id}).")
            return
        counts = erase_expired_applications.call()
        self.stdout.write(f"Applications: {counts['erased']} erased now, {counts['in_all']} erased in all.")
