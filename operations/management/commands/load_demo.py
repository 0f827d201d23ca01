"""Load the 2015 Joint Period of Action demo data and print the demo logins."""
import pghistory
from django.core.management.base import BaseCommand

from operations.demo import DEMO_PASSWORD, demo_load, demo_users


class Command(BaseCommand):
    help = "Load the 2015 Joint Period of Action (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--address", default="http://127.0.0.1:8000/",
                            help="Where the portal is served, for the closing line "
                                 "(make run passes its PORT).")

    def handle(self, *args, **options):
        with pghistory.context(command="load_demo"):  # audit events say where they came from
            created = demo_load()
        summary = ", ".join(f"{n} {kind}" for kind, n in created.items() if n) or "nothing new"
        self.stdout.write(self.style.SUCCESS(f"2015 Joint Period of Action loaded ({summary})."))
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for user in demo_users():
            self.stdout.write(f"  {user.username:<14} {user.description}")
        self.stdout.write(f"\nOpen {options['address']} and log in with one of them.\n")
