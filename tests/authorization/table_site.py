"""Authorization matrix, the pages outside any namespace (home, language switcher): (kwargs, GET answers, POST answers) per URL.

Format and visitors: tests/authorization/matrix.py and world.py. Checked by tests/test_authorization_matrix.py."""

# fmt: off
TABLE = {
    "home": ("", "*:200", "*:200"),
    "set_language": ("", "*:302", "*:302"),
}
# fmt: on
