"""E-mails: rendered in the recipient's language from `templates/emails/<name>.subject.txt`,
`<name>.txt` and optionally `<name>.html`, stored as an OutgoingEmail, sent by a worker after commit."""

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from core.jobs import job_enqueue

from .models import OutgoingEmail, User

#: What each kind of e-mail is (its template's name), as staff read it in the back office. Each app names
#: the kinds it sends in its AppConfig.ready(), so that this lower layer never imports the apps above it.
EMAIL_KINDS: dict[str, str] = {}


def email_kinds_register(kinds: dict[str, str]) -> None:
    EMAIL_KINDS.update(kinds)


def email_queue(
    *,
    to: str,
    template: str,
    context: dict,
    language: str | None = None,
    user: User | None = None,
) -> OutgoingEmail:
    """Render the e-mail now (in `language`, else the user's, else French) and send it once the
    current transaction commits. Call it from services, inside their transaction."""
    language = language or (user.preferred_language if user else None) or settings.LANGUAGE_CODE
    context = {"site_url": settings.SITE_URL.rstrip("/"), "user": user, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}.subject.txt", context).split())
        body = render_to_string(f"emails/{template}.txt", context)
        try:
            html_body = render_to_string(f"emails/{template}.html", context)
        except TemplateDoesNotExist:
            html_body = ""
    email = OutgoingEmail.objects.create(
        to=to, user=user, kind=template, language=language, subject=subject[:250], body=body, html_body=html_body
    )
    job_enqueue(job=email)
    return email
