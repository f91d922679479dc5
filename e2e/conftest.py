"""Real-browser tests: Debian's headless Chromium driven by Selenium against Django's live server.

Locally, a machine without Chromium skips these tests with the reason; in CI (CI=true) a missing
browser is a failure, never a skip.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.utils.translation.reloader import translation_file_changed

from scripts.compile_translations import compile_all

CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER_BINARY", "/usr/bin/chromedriver")
WINDOW = (1280, 900)


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run, not be skipped)", pytrace=False)
    pytest.skip(reason)


def _executable(path: str) -> bool:
    return Path(path).is_file() and os.access(path, os.X_OK) or shutil.which(path) is not None


def start_chromium(width: int = WINDOW[0], height: int = WINDOW[1], accept_language: str = "fr-FR,fr"):
    """A headless Chromium with a throw-away profile; the caller quits it.

    The browser asks for French first, as the programme's users do; Django's LocaleMiddleware
    otherwise follows the machine's locale (often English on CI runners).
    """
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:  # pragma: no cover - selenium is in requirements
        _unavailable("selenium is not installed")
    for path, what in ((CHROMIUM, "Chromium"), (CHROMEDRIVER, "chromedriver")):
        if not _executable(path):
            _unavailable(f"{what} not found at {path} (apt-get install chromium chromium-driver)")
    profile = tempfile.mkdtemp(prefix="pem-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        f"--lang={accept_language.split(',')[0]}",
    ):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": accept_language})
    # The console (driver.get_log("browser")) is kept: CSP violations show there.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_window_size(width, height)
    driver.implicitly_wait(0)
    driver.pem_profile_dir = profile
    return driver


def stop_chromium(driver) -> None:
    driver.quit()
    shutil.rmtree(driver.pem_profile_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    driver = start_chromium()
    try:
        yield driver
    finally:
        stop_chromium(driver)


@pytest.fixture(autouse=True)
def _fresh_browser_session(request):
    """Each browser test starts logged out, in the default language (no cookies left over), at the
    default width (a phone width left by another test folds the menu away) and with an empty console."""
    yield
    if "browser" in request.fixturenames:
        driver = request.getfixturevalue("browser")
        driver.delete_all_cookies()
        driver.set_window_size(*WINDOW)
        driver.get_log("browser")  # reading empties it: the next test sees only its own console


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations():
    """The .mo files are build products (git-ignored): compile them and drop Django's cached catalogues."""
    compile_all()
    translation_file_changed(sender=None, file_path=Path("django.mo"))
