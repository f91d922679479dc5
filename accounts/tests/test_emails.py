import pytest
from django.core import mail

from accounts.emails import email_queue
from accounts.models import EmailStatus, OutgoingEmail
from accounts.services import email_deliver
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_email_is_rendered_in_the_users_language_and_sent_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory(preferred_language="en")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = email_queue(to=user.email, user=user, template="test_message", context={"name": "Awa"})
    assert mail.outbox == []  # nothing leaves before the commit
    assert email.subject == "Hello Awa"

    for callback in callbacks:
        callback()

    email.refresh_from_db()
    assert email.status == EmailStatus.DONE and email.sent_at is not None
    assert [m.subject for m in mail.outbox] == ["Hello Awa"]


def test_french_is_the_default(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(to="someone@example.org", template="test_message", context={"name": "Awa"})
    assert mail.outbox[0].subject == "Bonjour Awa"


def test_a_redelivered_task_does_not_send_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = email_queue(to="someone@example.org", template="test_message", context={"name": "Awa"})

    assert email_deliver(email_id=email.pk) is False
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get(pk=email.pk).attempts == 1


def test_the_password_reset_email_goes_through_the_queue_in_the_recipients_language(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="jan@example.be", preferred_language="en")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "jan@example.be"})  # a French page

    assert response.status_code == 302
    email = OutgoingEmail.objects.get(to="jan@example.be")
    assert email.kind == "password_reset" and email.language == "en"
    assert email.status == EmailStatus.DONE and email.attempts == 1
    assert "/accounts/password/reset/" in email.body
    assert mailoutbox[0].subject == email.subject != "PEM : choisir un nouveau mot de passe"
