"""Who may open the sign-up pages (merged into tests/test_urls_access.py)."""

from accounts.tests.url_access import everyone

ACCESS = {
    # Logged-in people have an account already: they are sent on (to the home page).
    "accounts:signup": {**everyone(302), "anonymous": 200},
    "accounts:signup_done": everyone(200),
    # A bad token shows the "link not valid" page, to anyone.
    "accounts:signup_verify": {**everyone(200), "kwargs": {"uidb64": "MQ", "token": "not-a-token"}},
    "accounts:signup_resend": everyone(200),
}
