"""pytest plugin: in CI (CI=true) a skipped test fails the run.

A skip in CI means a service, a browser or a package is missing there, i.e. the run did not test
what it claims to. Locally, skips stay skips (e.g. the tests marked `services` without Redis).
Expected failures (xfail) are not skips and are left alone.
"""

import os

import pytest


class CiSkipGuard:
    def __init__(self) -> None:
        self.skipped: list[tuple[str, str]] = []

    def _record(self, report) -> None:
        if report.skipped and not hasattr(report, "wasxfail"):
            longrepr = report.longrepr
            # A skip's longrepr is (path, line, "Skipped: reason").
            reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else longrepr
            self.skipped.append((report.nodeid, str(reason).removeprefix("Skipped: ")))

    def pytest_runtest_logreport(self, report):
        self._record(report)

    def pytest_collectreport(self, report):
        self._record(report)

    def pytest_terminal_summary(self, terminalreporter):
        if self.skipped:
            terminalreporter.section("skipped while CI=true: this fails the run", red=True, bold=True)
            for nodeid, reason in self.skipped:
                terminalreporter.line(f"SKIPPED {nodeid or '(collection)'}: {reason}", red=True)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session):
        if self.skipped and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_configure(config):
    if os.environ.get("CI") == "true":
        config.pluginmanager.register(CiSkipGuard(), "pem-ci-skip-guard")
