"""The authorization matrix over the Django admin, part A (tests/test_authorization_matrix.py says what it checks;
tests/authorization/matrix.py ADMIN_GROUP_A says which admin apps each part walks)."""

import pytest
from django.test import override_settings

from tests.authorization.matrix import chunks_of, walk_chunk

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("chunk", chunks_of("admin_a"))
@override_settings(ROOT_URLCONF="tests.authorization.urls")
def test_authorization_matrix(chunk):
    walk_chunk(chunk)
