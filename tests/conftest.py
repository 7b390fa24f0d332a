"""Shared fixtures: the database is SQLite or PostgreSQL as DATABASE_URL says."""

import datetime as dt

import pytest

from battlemap.audit.services import SystemActor


def pytest_configure(config):
    # WhiteNoise warns on every test client when STATIC_ROOT (collectstatic's output) is absent.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher():
    """Argon2 is deliberately slow; the suite hashes with MD5 (tests/security checks that
    the real settings use Argon2)."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def actor():
    return SystemActor("test")


@pytest.fixture
def county(db):
    from tests.factories import make_county

    return make_county()


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()


D = dt.date


@pytest.fixture(autouse=True)
def default_language():
    """A request in English leaves English active in this thread (the middleware activates
    the user's language and nothing deactivates it): start every test from the default."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    """Files the code keeps under var/ (job inputs and outputs) go to a temp folder."""
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


@pytest.fixture
def code_tables(transactional_db):
    """Transactional tests flush every table, the migrated code tables included: load them."""
    from battlemap.registry.codebook import load_code_tables
    from battlemap.registry.models import Code

    load_code_tables(Code)
