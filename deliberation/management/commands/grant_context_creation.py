"""Give an account the role that may create contexts of use (or take it back with --revoke)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from deliberation.access import grant_context_creation


class Command(BaseCommand):
    help = "Let a user create contexts of use (the deliberation.add_context permission)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true", help="take the role back instead")

    def handle(self, *args, username, revoke, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        grant_context_creation(user=user, granted=not revoke)
        verb = "may no longer" if revoke else "may now"
        self.stdout.write(f"{username} {verb} create contexts of use.")
