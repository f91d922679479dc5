"""The authorization matrix ([10] item 2): every URL pattern, the admin's included, for every visitor
(anonymous; the entrepreneur who owns the objects and another one; the coach and the reviewer assigned to
them and others; staff; a committee member of the programme and one of another; an evaluator; a Belgian
company's contact holding its signed link), for GET and for POST, against the tables in
tests/authorization/table_<area>.py (the format is in tests/authorization/matrix.py).

A URL missing from its table fails, and so does a row naming no URL; a 500, and a refused request that
wrote to the database, fail whatever the table says. One test per area (the admin's split by app), so that xdist spreads them. The 404 page is a
plain one during the walk (tests/authorization/urls.py): its template is tested in test_urls_access.py."""

import pytest
from django.test import override_settings

from tests.authorization.matrix import (
    AREAS,
    WriteWatcher,
    chunks,
    chunks_of,
    compare,
    format_answers,
    load_table,
    parse_answers,
    project_urls,
    walk_chunk,
)
from tests.authorization.world import VISITORS

pytestmark = pytest.mark.django_db


def test_every_url_belongs_to_an_area_with_a_table():
    areas = {url.area for url in project_urls()}
    assert areas <= set(AREAS), f"URL namespaces without a table in tests/authorization/: {sorted(areas - set(AREAS))}"


@pytest.mark.parametrize("area", AREAS)
def test_the_table_names_every_url_of_its_area_once(area):
    keys = [url.key for url in project_urls() if url.area == area]
    table = load_table(area)
    missing = sorted(set(keys) - set(table))
    assert not missing, f"URLs missing from tests/authorization/table_{area}.py: {missing}"
    stale = sorted(set(table) - set(keys))
    assert not stale, f"tests/authorization/table_{area}.py names URLs that no longer exist: {stale}"
    for key, (_kwargs, get_spec, post_spec) in table.items():
        for spec in (get_spec, post_spec):
            assert parse_answers(spec), key  # well-formed, one answer per visitor


@pytest.mark.parametrize("chunk", chunks_of("project"))
@override_settings(ROOT_URLCONF="tests.authorization.urls")
def test_authorization_matrix(chunk):
    walk_chunk(chunk)


def test_the_three_matrix_files_walk_every_chunk_once():
    walked = chunks_of("project") + chunks_of("admin_a") + chunks_of("admin_b")
    assert sorted(walked) == sorted(chunks())


def test_answers_read_back_as_written():
    answers = dict.fromkeys(VISITORS, "404") | {"anonymous": "login", "belgian_link": "login", "staff": "200"}
    spec = format_answers(answers)
    assert spec == "anonymous,belgian_link:login staff:200 *:404"
    assert parse_answers(spec) == answers
    with pytest.raises(AssertionError, match="no answer"):
        parse_answers("staff:200")
    with pytest.raises(AssertionError, match="never an expected answer"):
        parse_answers("staff:500 *:404")


def test_a_difference_names_the_url_and_gives_the_row_that_matches():
    url = next(url for url in project_urls() if url.key == "mobility:trip_list")
    table = {url.key: ("", "anonymous,belgian_link:login staff:200 *:404", "anonymous,belgian_link:login staff:200 *:404")}
    leaked = parse_answers("anonymous,belgian_link:login staff,entrepreneur_other:200 *:404")

    failures = compare([url], table, {url.key: (leaked, parse_answers(table[url.key][2]))})

    assert len(failures) == 1
    assert "mobility:trip_list: GET as entrepreneur_other: 200, expected 404" in failures[0]
    assert '"anonymous,belgian_link:login entrepreneur_other,staff:200 *:404"' in failures[0]


def test_the_write_watcher_sees_writes_but_not_the_session_bookkeeping():
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    from accounts.tests.factories import UserFactory

    watcher = WriteWatcher()
    with connection.execute_wrapper(watcher):
        SessionStore().create()
        UserFactory()

    assert watcher.writes and all("django_session" not in write for write in watcher.writes)
    assert any("accounts_user" in write for write in watcher.writes)
