"""Create the first organiser account if there is none, and print its password once."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create an organiser account (ORGANISER_USERNAME, ORGANISER_EMAIL, ORGANISER_PASSWORD "
        "from the environment; a random password is printed once if none is given)."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An organiser account exists already; nothing changed.")
            return
        username = os.environ.get("ORGANISER_USERNAME", "organiser")
        email = os.environ.get("ORGANISER_EMAIL", "organiser@example.org")
        password = os.environ.get("ORGANISER_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(self.style.SUCCESS("Organiser account created for the back-office:"))
        address = f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
        self.stdout.write(f"  URL:      {address}/admin/\n  user:     {username}")
        if "ORGANISER_PASSWORD" in os.environ:
            self.stdout.write("  password: (from ORGANISER_PASSWORD)")
        else:
            self.stdout.write(f"  password: {password}    (shown once: note it now)")
