"""The second factor's screens: enrolment of an authenticator app (QR code or key, then a first code),
the code asked after the password, and new recovery codes. accounts.middleware.MfaRequiredMiddleware
sends staff, evaluators and committee members here before any other page."""

import base64

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services_mfa
from .access import mfa_required
from .forms import MfaTokenForm
from .services import safe_next

SETUP_SESSION_KEY = "mfa_setup_device"


def _grouped_key(device: TOTPDevice) -> str:
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _codes_page(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    return render(request, "registration/mfa_recovery_codes.html", {"codes": codes, "next": next_url or "/"})


@never_cache
@login_required
@sensitive_post_parameters("token")
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app. Someone who already has one must first give its code in this session:
    a stolen password alone cannot swap the phone."""
    user = request.user
    next_url = safe_next(request.POST.get("next") or request.GET.get("next"))
    if user_has_device(user, confirmed=True) and not user.is_verified():
        return redirect(_verify_url(next_url))
    device = TOTPDevice.objects.filter(user=user, confirmed=False, pk=request.session.get(SETUP_SESSION_KEY)).first()
    if device is None:
        device = services_mfa.mfa_device_start(user=user)
        request.session[SETUP_SESSION_KEY] = device.pk
    form = MfaTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services_mfa.mfa_device_confirm(device=device, token=form.cleaned_data["token"])
        if codes is not None:
            request.session.pop(SETUP_SESSION_KEY, None)
            django_otp.login(request, TOTPDevice.objects.get(pk=device.pk))
            return _codes_page(request, codes, next_url)
        form.add_error(
            "token", _("Ce code n'est pas le bon. Vérifiez l'heure du téléphone et saisissez le code affiché maintenant.")
        )
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "registration/mfa_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": mark_safe(qr.svg_inline(scale=4, dark="#212529")),  # noqa: S308 - drawn by segno, no user text
            "secret": _grouped_key(device),
            "replacing": user_has_device(user, confirmed=True),
            "required": mfa_required(user),
        },
    )


def _verify_url(next_url: str) -> str:
    url = reverse("accounts:mfa_verify")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


@never_cache
@login_required
@sensitive_post_parameters("token")
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The code asked after the password (or a recovery code when the phone is lost)."""
    user = request.user
    next_url = safe_next(request.POST.get("next") or request.GET.get("next"))
    if not user_has_device(user, confirmed=True):
        return redirect("accounts:mfa_setup")
    form = MfaTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services_mfa.mfa_token_check(user=user, token=form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            if device.name == services_mfa.RECOVERY_DEVICE_NAME:
                left = device.token_set.count()
                messages.warning(
                    request,
                    _(
                        "Vous vous êtes connecté·e avec un code de secours ; il vous en reste %(left)s. Ajoutez un nouveau téléphone dans « Double authentification »."
                    )
                    % {"left": left},
                )
            return redirect(next_url or "home")
        form.add_error(
            "token", _("Code incorrect ou expiré. Attendez quelques secondes et réessayez avec le code affiché maintenant.")
        )
    return render(request, "registration/mfa_verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
def mfa_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), for someone who passed the second factor."""
    if not user_has_device(request.user, confirmed=True) or not request.user.is_verified():
        return redirect("accounts:mfa_setup")
    if request.method == "POST":
        return _codes_page(request, services_mfa.mfa_recovery_codes_reset(user=request.user), "")
    return render(request, "registration/mfa_manage.html", {})
