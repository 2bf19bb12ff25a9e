"""Print the demo staff's current two-factor code (see demo/two_factor.py)."""

from django.core.management.base import BaseCommand

from demo.two_factor import current_code


class Command(BaseCommand):
    help = "Print the current authenticator-app code of the demo moderator and treasurers."

    def handle(self, *args, **options):
        self.stdout.write(current_code())
