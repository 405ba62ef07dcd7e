"""Delete the private storage's files that no document row names.

They are left by a process that died between storing an upload and committing its
application, or by an erasure while the storage did not answer. Files younger
than --min-age minutes are kept: their application may still be committing.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from applications.models import Document, private_storage

DOCUMENTS = "documents"


def stored_names(storage, folder: str):
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from stored_names(storage, f"{folder}/{sub}")


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--min-age", type=int, default=60, help="Minutes a file must have existed (default 60).")
        parser.add_argument("--dry-run", action="store_true", help="List what would be deleted, delete nothing.")

    def handle(self, *args, min_age, dry_run, **options):
        storage = private_storage()
        known = set(Document.objects.values_list("file", flat=True))
        cutoff = timezone.now() - timedelta(minutes=min_age)
        try:
            stored = list(stored_names(storage, DOCUMENTS))
        except FileNotFoundError:  # nothing stored yet (an object storage just lists nothing)
            stored = []
        orphans = [name for name in stored if name not in known and storage.get_modified_time(name) < cutoff]
        for name in orphans:
            self.stdout.write(f"{'Would delete' if dry_run else 'Deleting'} {name}")
            if not dry_run:
                storage.delete(name)
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(f"Orphan files: {len(orphans)} {verb}, {len(known)} documents kept.")
