"""Authorization matrix, logging in and out, passwords, sign-up and the second factor: (kwargs, GET answers, POST answers) per URL.

Format and visitors: tests/authorization/matrix.py and world.py. Checked by tests/test_authorization_matrix.py."""

# fmt: off
TABLE = {
    "accounts:login": ("", "*:200", "*:200"),
    "accounts:logout": ("", "*:405", "*:302"),
    "accounts:password_change": ("", "anonymous,belgian_link:login *:200", "anonymous,belgian_link:login *:200"),
    "accounts:password_change_done": ("", "anonymous,belgian_link:login *:200", "anonymous,belgian_link:login *:405"),
    "accounts:password_reset": ("", "*:200", "*:200"),
    "accounts:password_reset_done": ("", "*:200", "*:405"),
    "accounts:password_reset_confirm": ("uidb64=MQ token=set-password", "*:200", "*:200"),
    "accounts:password_reset_complete": ("", "*:200", "*:405"),
    "accounts:signup": ("", "anonymous,belgian_link:200 *:302", "anonymous,belgian_link:200 *:302"),
    "accounts:signup_done": ("", "*:200", "*:200"),
    "accounts:signup_verify": ("uidb64=MQ token=not-a-token", "*:200", "*:200"),
    "accounts:signup_resend": ("", "*:200", "*:200"),
    "accounts:mfa_setup": ("", "anonymous,belgian_link:login *:200", "anonymous,belgian_link:login *:200"),
    "accounts:mfa_verify": ("", "anonymous,belgian_link:login *:302", "anonymous,belgian_link:login *:302"),
    "accounts:mfa_recovery_codes": ("", "anonymous,belgian_link:login *:302", "anonymous,belgian_link:login *:302"),
}
# fmt: on
