"""Print the current one-time codes of the demo accounts (fictitious users only), for `make demo-code`."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Current authenticator codes of the demo accounts (demo data only)."

    def handle(self, *args, **options):
        devices = (
            TOTPDevice.objects.filter(user__is_fictitious=True, confirmed=True).select_related("user").order_by("user__email")
        )
        if not devices:
            self.stdout.write(_("Aucun compte de démonstration n'a d'application d'authentification."))
            return
        now = time.time()
        for device in devices:
            totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
            totp.time = now
            self.stdout.write(f"{device.user.email:<32} {totp.token():0{device.digits}d}")
        left = int(30 - now % 30)
        self.stdout.write(_("Valables encore %(seconds)s s (un nouveau code toutes les 30 s).") % {"seconds": left})
