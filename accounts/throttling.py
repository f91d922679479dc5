"""Throttling of logins (django-axes, configured in settings) and of the pages that send e-mails (sign-up,
new verification link, password reset), and the pseudonyms that let the logs tell attempts apart without
naming anybody: an e-mail address or an IP address is logged as a keyed hash, never in clear."""

import functools
import hashlib
import hmac
import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger("accounts.throttling")

#: Requests that send an e-mail, per client IP address and per hour, for each page.
EMAIL_REQUESTS_PER_IP_PER_HOUR = 10


def pseudonym(value: str | None) -> str:
    """A short keyed hash: the same person or address gives the same pseudonym in every log line (so an
    attack can be followed), which cannot be turned back into the address without the secret key."""
    if not value:
        return "-"
    digest = hmac.new(settings.SECRET_KEY.encode(), str(value).strip().lower().encode(), hashlib.sha256)
    return digest.hexdigest()[:12]


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind the HTTPS proxy (BEHIND_HTTPS_PROXY) the address the
    proxy appended last to X-Forwarded-For (earlier entries are whatever the client sent). None when there
    is no valid address (a request built in code, a malformed header): the login records store addresses
    in an address column (PostgreSQL's inet), which refuses anything else."""
    candidates = []
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        candidates += forwarded[-1:]
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def login_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The login is an e-mail address, case-insensitive: AWA@ and awa@ count as one account."""
    username = (credentials or {}).get("username") or (request.POST.get("username") if request is not None else None)
    return username.strip().lower() if username else None


def client_str(username, ip_address, user_agent, path_info, request) -> str:
    """How django-axes names a client in its log lines: pseudonyms only."""
    return f"{{account: {pseudonym(username)}, ip: {pseudonym(ip_address)}, path: {path_info}}}"


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page of a locked-out login (site and admin), in the person's language, status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


def email_request_allowed(request: HttpRequest, *, scope: str) -> bool:
    """Count one request of `scope` (signup, resend, password_reset) from this client IP address; False
    once it made EMAIL_REQUESTS_PER_IP_PER_HOUR of them in the current hour. The limit per address is kept
    by the services (account e-mails to one address per hour)."""
    key = f"throttle:{scope}:{pseudonym(client_ip(request) or 'unknown')}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > EMAIL_REQUESTS_PER_IP_PER_HOUR:
        logger.warning("Refused %s request: limit per client reached (ip %s).", scope, pseudonym(client_ip(request) or "unknown"))
        return False
    return True


def answered_in_constant_time(view):
    """A POST to this view is answered no sooner than settings.ACCOUNT_EMAIL_ANSWER_SECONDS after it
    arrived. Whether an address has an account changes what the view does (create an account, send a
    link, send "you already have an account", or nothing once the address had its share of e-mails);
    the page is the same, and this makes its time the same too, so that neither tells who has an account."""

    @transaction.non_atomic_requests
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        started = time.monotonic()
        # Our own transaction instead of ATOMIC_REQUESTS' one, so that its commit and the work queued for
        # after it (handing the e-mail to the broker) happen inside the measured time.
        with transaction.atomic():
            response = view(request, *args, **kwargs)
        if request.method == "POST":
            remaining = settings.ACCOUNT_EMAIL_ANSWER_SECONDS - (time.monotonic() - started)
            if remaining > 0:
                time.sleep(remaining)
        return response

    return wrapper
