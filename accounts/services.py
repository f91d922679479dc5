"""Writes on accounts: sign-up with e-mail verification (an applicant gives their name and address, an
inactive account awaits in the entrepreneur group, the signed link, valid three days, lets the holder of
the mailbox choose the password and activates the account; unopened sign-ups expire), and sending a
queued e-mail exactly once."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.http import (
    base36_to_int,
    url_has_allowed_host_and_scheme,
    urlencode,
    urlsafe_base64_decode,
    urlsafe_base64_encode,
)

from core.jobs import JobRetry, job_claim, job_finish, job_heartbeat, job_retry_later

from .emails import email_queue
from .models import OutgoingEmail, Role, User

logger = logging.getLogger(__name__)


#: How long a verification link lives, and an unverified sign-up with it (then the cleanup deletes it).
VERIFICATION_DAYS = 3
#: At most this many account e-mails (verification links, "you already have an account") to one address
#: within ACCOUNT_EMAILS_WINDOW: sign-up and resend cannot be used to flood somebody's mailbox.
ACCOUNT_EMAILS_PER_ADDRESS = 3
ACCOUNT_EMAILS_WINDOW = timedelta(hours=1)
ACCOUNT_EMAIL_KINDS = ("verify_email", "account_exists")


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Like the password-reset token (dead once the password or last login changes) with its own salt, so
    that neither kind of link opens the other, its own lifetime (VERIFICATION_DAYS, whatever the reset
    links' lifetime), and dead once the account is active, so that a link works only once."""

    key_salt = "accounts.services_signup.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"

    def check_token(self, user, token):
        """Django's check with this lifetime instead of PASSWORD_RESET_TIMEOUT (reset links live an hour)."""
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - ts <= VERIFICATION_DAYS * 24 * 3600


email_verification_token = EmailVerificationTokenGenerator()


def safe_next(next_url: str | None) -> str:
    """A `next` path that stays on this site, else an empty string."""
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts=None) and next_url.startswith("/"):
        return next_url
    return ""


def verification_path(*, user: User, next_url: str = "") -> str:
    path = reverse(
        "accounts:signup_verify",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": email_verification_token.make_token(user)},
    )
    next_url = safe_next(next_url)
    return f"{path}?{urlencode({'next': next_url})}" if next_url else path


def account_email_allowed(*, email: str, kinds: tuple[str, ...] = ACCOUNT_EMAIL_KINDS) -> bool:
    """Whether the address may get another e-mail of these kinds: fewer than ACCOUNT_EMAILS_PER_ADDRESS
    within ACCOUNT_EMAILS_WINDOW (the queued e-mails are the count: it holds across workers)."""
    recent = OutgoingEmail.objects.filter(
        to__iexact=email, kind__in=kinds, created_at__gte=timezone.now() - ACCOUNT_EMAILS_WINDOW
    )
    return recent.count() < ACCOUNT_EMAILS_PER_ADDRESS


def verification_email_send(*, user: User, next_url: str = "") -> bool:
    """Queue the verification e-mail, in the language the person chose when signing up, unless the
    address had its share of account e-mails this hour. Returns whether one was queued."""
    if not account_email_allowed(email=user.email):
        logger.info("Verification e-mail not sent: limit reached for account %s.", user.pk)
        return False
    email_queue(
        to=user.email,
        user=user,
        template="verify_email",
        language=user.preferred_language,
        context={"name": user.first_name, "verify_path": verification_path(user=user, next_url=next_url)},
    )
    return True


def _account_exists_email_send(*, user: User, language: str) -> None:
    if not account_email_allowed(email=user.email):
        logger.info("Account-exists e-mail not sent: limit reached for account %s.", user.pk)
        return
    email_queue(
        to=user.email,
        user=user,
        template="account_exists",
        language=user.preferred_language or language,
        context={"name": user.first_name, "reset_path": reverse("accounts:password_reset")},
    )


@transaction.atomic
def user_signup(*, first_name: str, last_name: str, email: str, preferred_language: str, next_url: str = "") -> None:
    """Start a sign-up: e-mail the address a link with which its owner chooses their password.

    Nobody chooses a password for an address they have not proven to hold, so a sign-up with somebody
    else's address cannot pre-empt their account. The caller shows the same page whatever happened here,
    and each branch does the same work (one look-up, one row written, one e-mail queued), so that neither
    the answer nor its time tells whether the address has an account:
    - a new address gets an inactive account, awaiting verification, with no usable password;
    - an address awaiting verification gets a new link, the names and language of the latest sign-up;
    - an address with an account gets an e-mail saying so, with the way to reset its password."""
    email = User.objects.normalize_email(email).strip().lower()
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is None:
        user = User(
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            preferred_language=preferred_language,
            is_active=False,
            awaiting_verification=True,
        )
        user.set_unusable_password()
        user.full_clean()
        try:
            with transaction.atomic():  # a savepoint: the IntegrityError must not break the outer transaction
                user.save()
        except IntegrityError:
            # Another sign-up with this address committed a moment ago: that one sent the link.
            return
        user.groups.add(Group.objects.get(name=Role.ENTREPRENEUR))
        verification_email_send(user=user, next_url=next_url)
    elif existing.awaiting_verification and not existing.is_active:
        existing.first_name, existing.last_name = first_name.strip(), last_name.strip()
        existing.preferred_language = preferred_language
        existing.save(update_fields=["first_name", "last_name", "preferred_language"])
        verification_email_send(user=existing, next_url=next_url)
    else:
        _account_exists_email_send(user=existing, language=preferred_language)


def user_for_verification(uidb64: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
        return User.objects.get(pk=pk)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


def verification_check(*, uidb64: str, token: str) -> tuple[str, User | None]:
    """Read a verification link without using it: ("valid", user) for a sign-up awaiting its password,
    ("already_active", user) when the link served already, ("invalid", None) for an expired, tampered or
    unknown link."""
    user = user_for_verification(uidb64)
    if user is None:
        return "invalid", None
    if user.awaiting_verification and not user.is_active and email_verification_token.check_token(user, token):
        return "valid", user
    if user.is_active and not user.awaiting_verification and user.has_usable_password():
        return "already_active", None
    return "invalid", None


@transaction.atomic
def user_verify_email(*, uidb64: str, token: str, password: str, first_name: str, last_name: str) -> User | None:
    """Use a verification link: the holder of the mailbox chooses the password (and may correct the names
    typed at sign-up) and the account is activated. Nobody is logged in: they log in with that password.
    Returns None when the link is no longer valid (used meanwhile, expired)."""
    outcome, user = verification_check(uidb64=uidb64, token=token)
    if outcome != "valid":
        return None
    user = User.objects.select_for_update().get(pk=user.pk)
    if not (user.awaiting_verification and email_verification_token.check_token(user, token)):
        return None  # a second submission of the same link, racing the first
    user.set_password(password)
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.is_active, user.awaiting_verification = True, False
    user.full_clean()
    user.save(update_fields=["password", "first_name", "last_name", "is_active", "awaiting_verification"])
    return user


@transaction.atomic
def verification_email_resend(*, email: str) -> bool:
    """Send a new link to an account still waiting for verification. Returns whether one was sent;
    the page says the same either way, so it does not tell who has an account."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=False, awaiting_verification=True).first()
    if user is None:
        return False
    return verification_email_send(user=user)


def signups_expire(*, now=None) -> int:
    """Delete the sign-ups whose link expired unopened (they hold no password and never logged in): the
    address is free again and no half-made account lingers. Returns how many. Harmless twice."""
    cutoff = (now or timezone.now()) - timedelta(days=VERIFICATION_DAYS)
    expired = User.objects.filter(awaiting_verification=True, is_active=False, last_login__isnull=True, date_joined__lt=cutoff)
    ids = list(expired.values_list("pk", flat=True))
    User.objects.filter(pk__in=ids, awaiting_verification=True, is_active=False).delete()
    if ids:
        logger.info("Deleted %d expired sign-ups awaiting verification.", len(ids))
    return len(ids)


def user_password_link_send(*, user: User) -> OutgoingEmail:
    """E-mail a person the link to choose their password (Django's reset link, the same lifetime): how
    staff give a new account its password or help somebody locked out, without ever knowing it."""
    email = email_queue(
        to=user.email,
        user=user,
        template="password_link",
        context={
            "name": user.first_name,
            "link_path": reverse(
                "accounts:password_reset_confirm",
                kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
            ),
        },
    )
    logger.info("Password link sent by staff to account %s.", user.pk)
    return email


def email_deliver(*, email_id: int) -> bool:
    """Send one queued e-mail. The job framework claims the row (a redelivered task, or two workers,
    never send it twice) and beats while the SMTP server answers. Returns whether this call sent it.
    Raises JobRetry when the transport failed and the e-mail will be tried again, JobBusy when another
    live worker is sending it."""
    email = job_claim(model=OutgoingEmail, pk=email_id)
    if email is None:
        return False
    message = EmailMultiAlternatives(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to])
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    try:
        with job_heartbeat(job=email):
            message.send()
    except Exception as error:  # noqa: BLE001 - any transport error is recorded, then retried or failed
        reason = (str(error) or type(error).__name__)[:2000]
        if job_retry_later(job=email, reason=reason):
            raise JobRetry(reason) from error
        return False
    return job_finish(job=email, sent_at=timezone.now())
