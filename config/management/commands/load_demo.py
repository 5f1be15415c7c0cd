"""`manage.py load_demo`: load the demo deliberation (once) and say how to use it."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from config.demo import load_demo


class Command(BaseCommand):
    help = "Load the public-library demo (idempotent) and print its participant URL and login."

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-password",
            action="store_true",
            help="Give the demo facilitator a new random password and print it.",
        )

    def handle(self, *args, new_password: bool, **options):
        demo = load_demo(new_password=new_password)
        if demo.created:
            self.stdout.write(self.style.SUCCESS(f"Loaded the demo context “{demo.context}”."))
        else:
            self.stdout.write(f"The demo context “{demo.context}” is already loaded.")
        self.stdout.write(
            f"Participate:  {settings.SITE_URL}{demo.conversation.get_absolute_url()}"
        )
        self.stdout.write(f"Facilitate:   {settings.SITE_URL}{reverse('frontend:facilitate-home')}")
        self.stdout.write(f"  username:   {demo.facilitator_username}")
        if demo.facilitator_password:
            self.stdout.write(f"  password:   {demo.facilitator_password}  (shown only now)")
        else:
            self.stdout.write(
                "  password:   shown when it was set; `python manage.py load_demo --new-password` "
                "sets and shows a new one"
            )
        latest = reverse("api:version-detail", args=[demo.context.slug, "latest"])
        self.stdout.write(
            f"Constitution: {settings.SITE_URL}{latest}  "
            f"(version {demo.constitution_version.number}; ?format=markdown, hf-cai, jsonl, ...)"
        )
