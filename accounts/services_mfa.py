"""Writes on the second factor: an authenticator app (TOTP) confirmed with a first code, single-use
recovery codes, and checking a code at login. django-otp stores the devices and throttles wrong codes."""

import re

import django_otp
from django.conf import settings
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

RECOVERY_DEVICE_NAME = "recovery"


def _clean(token: str) -> str:
    return re.sub(r"[\s-]+", "", token or "").lower()


def mfa_device_start(*, user: User) -> TOTPDevice:
    """A new authenticator for `user`, not confirmed yet; an unconfirmed one from an earlier try is replaced."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def mfa_device_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm `device` with a code it shows now. On success the owner's other authenticators are removed
    (a new phone replaces the old one) and fresh recovery codes are returned, to be shown once; a wrong
    code returns None."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.confirmed or not device.verify_token(_clean(token)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        return mfa_recovery_codes_reset(user=device.user)


def mfa_recovery_codes_reset(*, user: User) -> list[str]:
    """Replace `user`'s recovery codes with new ones (each works once); returns them."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    codes = [StaticToken.random_token() for _ in range(settings.MFA_RECOVERY_CODES)]
    with transaction.atomic():
        device.token_set.all().delete()
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def mfa_token_check(*, user: User, token: str) -> Device | None:
    """The confirmed device of `user` that accepts `token` (a code of the app, or a recovery code, which
    is then used up), else None. Wrong codes slow the next tries down (django-otp's throttling)."""
    token = _clean(token)
    if not token:
        return None
    return django_otp.match_token(user, token)


def mfa_reset(*, user: User) -> None:
    """Remove every second factor of `user` (lost phone and codes): they enrol again at their next login."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
