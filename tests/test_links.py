"""Personal links (core/links.py): signed, expiring, bound to one purpose; and the Dutch catalogue
that the pages and e-mails for Belgian companies need is complete."""

import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.test import RequestFactory

from core.links import LinkInvalid, link_nonce_new, link_problem_response, link_token_make, link_token_read

ROOT = Path(__file__).resolve().parent.parent
WEEK = datetime.timedelta(days=7)


def test_a_token_opens_its_row_until_it_expires():
    nonce = link_nonce_new()
    start = 1_777_629_600.0  # any fixed instant
    with mock.patch("django.core.signing.time.time", return_value=start):
        token = link_token_make(purpose="invitation", pk=42, nonce=nonce)
        target = link_token_read(purpose="invitation", token=token, max_age=WEEK)
    assert (target.pk, target.nonce) == (42, nonce)
    with mock.patch("django.core.signing.time.time", return_value=start + WEEK.total_seconds() - 60):
        assert link_token_read(purpose="invitation", token=token, max_age=WEEK).pk == 42
    with (
        mock.patch("django.core.signing.time.time", return_value=start + WEEK.total_seconds() + 60),
        pytest.raises(LinkInvalid) as caught,
    ):
        link_token_read(purpose="invitation", token=token, max_age=WEEK)
    assert caught.value.reason == "expired"


@pytest.mark.parametrize("change", ["one character", "other purpose", "garbage", "empty"])
def test_a_changed_token_or_one_of_another_purpose_is_refused(change):
    token = link_token_make(purpose="invitation", pk=42, nonce="abc")
    purpose = "invitation"
    if change == "one character":
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    elif change == "other purpose":
        purpose = "check_in"
    elif change == "garbage":
        token = "../../etc/passwd"
    else:
        token = ""
    with pytest.raises(LinkInvalid) as caught:
        link_token_read(purpose=purpose, token=token, max_age=WEEK)
    assert caught.value.reason == "tampered"


def test_nonces_differ():
    assert len({link_nonce_new() for _ in range(50)}) == 50


@pytest.mark.django_db
@pytest.mark.parametrize(("reason", "status"), [("expired", 404), ("tampered", 404), ("used", 410)])
def test_the_problem_page_says_what_to_do_and_nothing_else(reason, status):
    response = link_problem_response(RequestFactory().get("/"), reason)
    assert response.status_code == status
    assert "équipe du programme" in response.content.decode() or reason == "tampered"


def test_every_string_a_belgian_company_reads_has_dutch():
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("xgettext (Debian package gettext) is required in CI to check the Dutch catalogue")
        pytest.skip("xgettext not installed (apt-get install gettext)")
    result = subprocess.run(
        [sys.executable, "scripts/dutch_messages.py", "--check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
