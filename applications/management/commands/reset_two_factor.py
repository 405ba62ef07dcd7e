from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from jobboard import two_factor


class Command(BaseCommand):
    # Here rather than in offers, next to the staff's memberships: the reset goes to the audit log, which
    # lives in applications.
    help = (
        "Turn off a staff member's two-factor authentication (a lost phone and no backup code left). "
        "Their next login asks for their password only, or has them set up an app again where their "
        "organisation requires it."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No account has the username {username!r}.") from None
        if two_factor.disable(user, detail="reset_two_factor"):
            self.stdout.write(f"Two-factor authentication of {username} turned off.")
        else:
            self.stdout.write(f"{username} had no two-factor authentication: nothing to do.")
