"""A version stamp of the project's data, so that results derived from many rows (the indicators) can be
computed once per version and shared by every process, instead of once per request.

`data_version()` returns a token that changes whenever a write that could change such a result has
become visible to other connections; results cached under it are never served once the data they came
from has changed. How writes are seen, without any service having to remember it:

- Every database connection gets an execute wrapper (installed on `connection_created`, see
  `core.apps`). It looks at the first word of each statement: INSERT, UPDATE, DELETE or TRUNCATE on a
  table that is not noise (NOISE_TABLES) is a write, of the job rows (JOBS) or of the data (DATA). So `save()`, `queryset.update()`,
  `bulk_create`, deletes, raw SQL and the writes of Celery workers are all seen; a SELECT costs one
  slice of the statement's first characters.
- A write in autocommit mode is committed when the statement returns: the shared token (in the default
  cache, so shared by web processes and workers when the cache is Redis or the file cache) is replaced
  by a new random value right away. A random value rather than an increment: two processes bumping at
  once can never lose a change (any new value invalidates).
- A write inside a transaction is invisible to other connections until the commit, so the shared token
  is replaced in `transaction.on_commit` (registered once per transaction, at its first write, hence
  usually before the callbacks that hand jobs to workers). Until then the writing connection keys its
  own reads with a private suffix, renewed at each of its writes and at each ROLLBACK TO SAVEPOINT: it
  sees its own writes (this is also what tests, whose transactions never commit, rely on), while no other
  connection's cache entries are invalidated by a write that may yet be rolled back. A full rollback
  drops the on-commit callback, and with it the private suffix.

Race-free for readers in READ COMMITTED: a reader takes the token *before* computing and stores its
result under that token; the token changes after every commit, so a result computed from data older than
a commit is stored under a token that is already (or is about to be) replaced.

A cache that cannot be reached makes `data_version()` return None: callers then compute without caching.
"""

import logging
import re
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Tables whose writes never change a derived result: sessions, login attempts (django-axes), second-factor
#: devices (their counters change at each check), the admin's log, content types and permissions.
NOISE_TABLES = frozenset({"django_session", "django_admin_log", "django_content_type", "auth_permission"})
NOISE_PREFIXES = ("axes_", "otp_")

#: The kinds of version. "data": every project table but the noise and the job rows. "jobs": the tables of
#: background-job rows (`core.jobs.Job` subclasses), whose status, progress and heartbeat change while a job
#: runs (every 30 s): only what lists jobs (the dashboard's finished reports) depends on it, so a running job
#: never makes the indicators be computed again. The rows a job itself writes are "data" like any other.
DATA, JOBS = "data", "jobs"

_WRITE_WORDS = frozenset({"INSERT", "UPDATE", "DELETE"})
_ATTRIBUTE = "_pem_data_versions"  # on a connection: kind -> [on-commit callback, its index, private suffix]
_job_tables: frozenset[str] | None = None


def job_tables() -> frozenset[str]:
    """The tables of every background-job model (computed once, after app loading)."""
    global _job_tables
    if _job_tables is None:
        from django.apps import apps

        from .jobs import Job

        _job_tables = frozenset(model._meta.db_table for model in apps.get_models() if issubclass(model, Job))
    return _job_tables


def _table(sql: str, verb: str) -> str | None:
    """The table an INSERT/UPDATE/DELETE statement writes to (Django quotes it), None if not recognised."""
    words = sql[:300].split(None, 3)
    if len(words) < 2:
        return None
    name = words[2] if verb in ("INSERT", "DELETE") and len(words) > 2 else words[1]
    name = name.split("(", 1)[0].strip('"`[]').lower()
    return name or None


_LEADING_COMMENTS = re.compile(r"\s*(?:--[^\n]*(?:\n|$)|/\*.*?\*/)", re.DOTALL)
#: Statements that may write although they do not start with INSERT/UPDATE/DELETE: counted as writes of the
#: data (their table is not read), so that hand-written SQL is never missed.
_OTHER_WRITE_WORDS = ("REPLAC", "MERGE ", "COPY ")
_WRITE_INSIDE = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def statement_start(sql: str) -> str:
    """The statement without leading whitespace and comments (hand-written SQL in an indented string)."""
    if not sql[:1].isspace() and sql[:2] not in ("--", "/*"):
        return sql  # the usual case, Django's own SQL: nothing to strip
    while True:
        match = _LEADING_COMMENTS.match(sql)
        if not match or not match.group(0):
            return sql.lstrip()
        sql = sql[match.end() :]


def write_kind(sql: str) -> str | None:
    """The kind of version a statement changes: DATA, JOBS, or None (a read, or a write to a noise table)."""
    sql = statement_start(sql)
    verb = sql[:6].upper()
    if verb == "TRUNCA":  # several tables at once (the test database's flush): always a write
        return DATA if sql[:8].upper() == "TRUNCATE" else None
    if verb not in _WRITE_WORDS:
        if verb.startswith(_OTHER_WRITE_WORDS) or (verb[:4] == "WITH" and _WRITE_INSIDE.search(sql)):
            return DATA
        return None
    table = _table(sql, verb)
    if table is None:
        return DATA  # unrecognised: counts as a write, never as noise
    if table in NOISE_TABLES or table.startswith(NOISE_PREFIXES):
        return None
    return JOBS if table in job_tables() else DATA


def is_data_write(sql: str) -> bool:
    """Whether a statement writes rows that derived results (the indicators) may depend on."""
    return write_kind(sql) == DATA


#: Every version key, as stored by Django's cache (prefix and key version before it): the Redis cache forgets
#: them when it comes back after an outage (core.cache), since a new version may have been lost meanwhile.
VERSION_KEY_PATTERN = "*pem:*-version:*"


def _shared_key(connection, kind: str = DATA) -> str:
    # The database's name is part of the key: two databases on one Redis (a bench and a demo, say) never
    # share a version.
    return f"pem:{kind}-version:{connection.alias}:{connection.settings_dict.get('NAME')}"


def _bump_shared(connection, kind: str) -> None:
    try:
        cache.set(_shared_key(connection, kind), uuid.uuid4().hex, timeout=None)
    except Exception:
        # The results cached under the old token expire after their timeout (DATA_VERSION_RESULT_SECONDS).
        logger.exception("The data version could not be changed in the cache.")


def _state(connection, kind: str) -> list | None:
    """This connection's [on-commit bump, index, suffix] of `kind`, if its current transaction has written
    and not rolled it back.

    The callback is still in `run_on_commit` exactly in that case (a rollback empties the list, a rollback
    to a savepoint removes what was registered after it). Looked up at the index where it was registered
    (entries before it are only removed together with it), so a transaction queueing thousands of
    callbacks does not make each write scan them all."""
    states = getattr(connection, _ATTRIBUTE, None)
    state = states.get(kind) if states else None
    if state is None:
        return None
    callback, index, _suffix = state
    callbacks = connection.run_on_commit
    if connection.in_atomic_block and index < len(callbacks) and callbacks[index][1] is callback:
        return state
    del states[kind]
    return None


def _written(connection, kind: str) -> None:
    if connection.in_atomic_block:
        state = _state(connection, kind)
        if state is None:

            def bump_after_commit():
                _bump_shared(connection, kind)

            bump_after_commit.data_version_bump = True  # core.testing.without_version_bumps tells it apart
            connection.on_commit(bump_after_commit)
            state = [bump_after_commit, len(connection.run_on_commit) - 1, ""]
            if getattr(connection, _ATTRIBUTE, None) is None:
                setattr(connection, _ATTRIBUTE, {})
            getattr(connection, _ATTRIBUTE)[kind] = state
        state[2] = uuid.uuid4().hex  # this transaction's own reads see this write
    else:
        # Autocommit: the statement is committed now. (Manual transaction management, autocommit off
        # outside `atomic`, is not used by this project; the bump then comes before the commit.)
        _bump_shared(connection, kind)


def execute_wrapper(execute, sql, params, many, context):
    """The wrapper every connection gets: runs the statement, then records a write."""
    try:
        return execute(sql, params, many, context)
    finally:
        # Even when the statement failed: a needless new version costs one recomputation, never a stale result.
        if isinstance(sql, str):
            kind = write_kind(sql)
            if kind is not None:
                _written(context["connection"], kind)
            elif sql[:11].upper() == "ROLLBACK TO":
                connection = context["connection"]
                for name in (DATA, JOBS):
                    state = _state(connection, name)
                    if state is not None:
                        state[2] = uuid.uuid4().hex


def install(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: one wrapper per connection (a reconnection does not add a second)."""
    if execute_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, execute_wrapper)


def data_version(using: str = "default", kind: str = DATA) -> str | None:
    """The current version of the data as this connection sees it; None when the cache is unreachable."""
    connection = connections[using]
    key = _shared_key(connection, kind)
    try:
        token = cache.get(key)
        if token is None:  # first use, or evicted: a new version (results under an old one are never read)
            cache.add(key, uuid.uuid4().hex, timeout=None)
            token = cache.get(key)
    except Exception:
        logger.exception("The data version could not be read from the cache.")
        return None
    if token is None:
        return None
    state = _state(connection, kind)
    return f"{token}.{state[2]}" if state is not None else token


def result_seconds() -> int:
    """How long a result stays cached at most (a bound on staleness if the cache ever missed a new version)."""
    return int(getattr(settings, "DATA_VERSION_RESULT_SECONDS", 600))


def cached_per_version(key: str, compute: Callable[[], T], *, using: str = "default", kinds: tuple[str, ...] = (DATA,)) -> T:
    """`compute()`'s result, computed once per version (of each of `kinds`), day and language (all part of
    the cache key after `key`) and shared through the cache. `key` names what is computed and for what
    (ids); the result must pickle. Without a reachable cache, computed each time."""
    versions = [data_version(using, kind) for kind in kinds]  # before computing: a commit meanwhile makes new ones
    if None in versions:
        return compute()
    version = "/".join(versions)
    full_key = f"{key}:{translation.get_language()}:{timezone.localdate().isoformat()}:{version}"
    try:
        cached = cache.get(full_key)
    except Exception:
        logger.exception("A cached result could not be read.")
        cached = None
    if isinstance(cached, _Result):
        return cached.value
    value = compute()
    try:
        cache.set(full_key, _Result(value), timeout=result_seconds())
    except Exception:
        logger.exception("A result could not be cached.")
    return value


class _Result:
    """The envelope of a cached result, so that a cached None is told apart from a miss. Its pickled state
    is a one-item tuple: pickle skips `__setstate__` when the state is None, which lost a cached None and
    made its next read fail. (Named anew so that envelopes pickled the old way are misses: unpickling them
    fails in the cache backend, a logged miss.)"""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __getstate__(self):
        return (self.value,)

    def __setstate__(self, state):
        (self.value,) = state
