"""The second factor: staff, evaluators and committee members give a one-time code before any page
(the admin included); enrolment, codes, recovery codes, and the guard against swapping the phone with a
stolen password."""

import re
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from accounts.services_mfa import mfa_device_confirm, mfa_device_start

from .factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_enforced")]

#: Pages of each kind a person with personal or evaluation data reaches: none before the code.
PROTECTED = ["/", "/admin/", "/admin/accounts/user/", "/rapports/tableau-de-bord/", "/accounts/password/change/"]


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = mfa_device_start(user=user)
    codes = mfa_device_confirm(device=device, token=code_for(device))
    device.refresh_from_db()
    return device, codes


@pytest.mark.parametrize("role", [Role.STAFF, Role.COMMITTEE, Role.EVALUATOR])
def test_each_protected_role_is_sent_to_enrolment_before_any_page(client, role):
    client.force_login(UserFactory(roles=[role]))
    for path in PROTECTED:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("accounts:mfa_setup")), path


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.COACH, Role.REVIEWER])
def test_other_roles_are_not_asked(client, role):
    client.force_login(UserFactory(roles=[role]))
    assert client.get("/").status_code == 200


def test_enrolment_shows_a_qr_code_and_key_then_ten_recovery_codes_and_opens_the_pages(client):
    user = UserFactory(roles=[Role.STAFF])
    client.force_login(user)
    page = client.get(reverse("accounts:mfa_setup"), {"next": "/admin/"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and "otpauth" not in body  # the QR code is drawn, the secret URL not printed
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert re.sub(r"\s", "", re.search(r"user-select-all\">([A-Z2-7 ]+)<", body).group(1))
    wrong = client.post(reverse("accounts:mfa_setup"), {"token": "000000", "next": "/admin/"})
    assert "n&#x27;est pas le bon" in wrong.content.decode() or "n'est pas le bon" in wrong.content.decode()
    assert client.get("/").status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # a person waits a second
    done = client.post(reverse("accounts:mfa_setup"), {"token": code_for(device), "next": "/admin/"})
    codes = re.findall(r'pem-recovery-code">([a-z0-9]+)<', done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert client.get("/admin/").status_code == 200
    assert client.get("/").status_code == 200


def test_a_new_session_gives_the_code_of_the_app_and_a_wrong_code_is_refused(client):
    user = UserFactory(roles=[Role.COMMITTEE])
    device, _codes = enrolled(user)
    client.force_login(user)
    response = client.get("/rapports/tableau-de-bord/")
    assert response["Location"].startswith(reverse("accounts:mfa_verify"))
    bad = client.post(reverse("accounts:mfa_verify"), {"token": "123456"})
    assert bad.status_code == 200 and "Code incorrect" in bad.content.decode()
    assert client.get("/").status_code == 302
    # The code of the next 30-second step (the current one served for enrolment already); wrong codes
    # slowed the device down: wait the throttle out as a person would.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    ok = client.post(reverse("accounts:mfa_verify"), {"token": code_for(device, steps_ahead=1), "next": "/admin/"})
    assert ok.status_code == 302 and ok["Location"] == "/admin/"
    assert client.get("/").status_code == 200


def test_a_recovery_code_works_once(client):
    user = UserFactory(roles=[Role.EVALUATOR])
    _device, codes = enrolled(user)
    client.force_login(user)
    assert client.post(reverse("accounts:mfa_verify"), {"token": codes[0].upper()}).status_code == 302
    assert client.get("/").status_code == 200
    client.logout()
    client.force_login(user)
    again = client.post(reverse("accounts:mfa_verify"), {"token": codes[0]})
    assert again.status_code == 200 and client.get("/").status_code == 302


def test_a_stolen_password_cannot_enrol_a_new_phone(client):
    """Someone with the password but not the phone is sent to the code screen, not to enrolment."""
    user = UserFactory(roles=[Role.STAFF])
    enrolled(user)
    client.force_login(user)
    response = client.get(reverse("accounts:mfa_setup"))
    assert response["Location"].startswith(reverse("accounts:mfa_verify"))
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_the_admin_login_of_staff_leads_to_the_code_too(client):
    user = UserFactory(roles=[Role.STAFF], email="staff@example.org")
    enrolled(user)
    response = client.post(reverse("admin:login"), {"username": user.email, "password": "pw-for-tests-1", "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:mfa_verify"))


def test_an_entrepreneur_who_added_an_app_is_asked_for_its_code(client):
    user = UserFactory(roles=[Role.ENTREPRENEUR])
    enrolled(user)
    client.force_login(user)
    assert client.get("/")["Location"].startswith(reverse("accounts:mfa_verify"))


def test_the_enrolment_page_in_english(client):
    user = UserFactory(roles=[Role.STAFF], preferred_language="en")
    client.force_login(user)
    body = client.get(reverse("accounts:mfa_setup")).content.decode()
    assert "Two-factor authentication" in body and "Double authentification" not in body


def test_the_demo_accounts_log_in_with_the_codes_make_demo_code_prints(client, capsys):
    call_command("load_demo", allow_production=True)
    call_command("demo_mfa_codes")
    printed = capsys.readouterr().out
    codes = dict(re.findall(r"^(\S+@\S+)\s+(\d{6})$", printed, re.M))
    assert {"admin@demo.pem.example", "equipe@demo.pem.example", "comite@demo.pem.example", "evaluateur@demo.pem.example"} <= set(
        codes
    )
    assert not {"entrepreneur@demo.pem.example", "coach@demo.pem.example", "reviewer@demo.pem.example"} & set(codes)
    logged_in = client.post(reverse("accounts:login"), {"username": "comite@demo.pem.example", "password": "pem-demo-2024"})
    assert logged_in.status_code == 302
    response = client.post(reverse("accounts:mfa_verify"), {"token": codes["comite@demo.pem.example"]})
    assert response.status_code == 302
    assert client.get(reverse("reporting:dashboard")).status_code == 200


def test_staff_reset_a_lost_second_factor_from_the_admin_and_never_see_secrets(client):
    staff = UserFactory(roles=[Role.STAFF], is_staff=True)
    enrolled(staff)
    member = UserFactory(roles=[Role.COMMITTEE])
    enrolled(member)
    client.force_login(staff)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=staff).persistent_id
    session.save()
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    response = client.post(
        reverse("admin:accounts_user_changelist"), {"action": "reset_second_factor", "_selected_action": [member.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert not StaticToken.objects.filter(device__user=member).exists()
    assert TOTPDevice.objects.filter(user=staff).exists()
