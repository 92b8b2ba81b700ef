"""Production settings: ``check --deploy`` passes, and the app refuses to start half-configured.

Each case starts a fresh ``manage.py`` process, because settings are read once, from the environment,
at start-up (the same way a production server starts).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from layan.accounts.validators import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[3]


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    inherited = ("LAYAN_", "DATABASE_", "REDIS_", "DJANGO_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(inherited)}
    env.update(
        LAYAN_MODE="production",
        SECRET_KEY=secrets.token_urlsafe(60)[:60],
        LAYAN_FIELD_KEYS=f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}",
        LAYAN_HASH_KEY=secrets.token_urlsafe(32),
        ALLOWED_HOSTS="layan.example.go.id",
        REDIS_URL="redis://127.0.0.1:6379/15",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        LAYAN_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="layan.settings",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("secret_key", [None, "", "too-short-secret-key", "a" * 60])
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, secret_key):
    result = manage(production_env(tmp_path, SECRET_KEY=secret_key), "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("missing", ["LAYAN_FIELD_KEYS", "LAYAN_HASH_KEY", "ALLOWED_HOSTS", "REDIS_URL"])
def test_production_refuses_to_start_without_required_settings(tmp_path, missing):
    result = manage(production_env(tmp_path, **{missing: None}), "check")
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_debug(tmp_path):
    result = manage(production_env(tmp_path, DEBUG="true"), "check")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_demo_data_refused_in_production(tmp_path):
    result = manage(production_env(tmp_path), "load_demo")
    assert result.returncode != 0
    assert "produksi" in result.stderr
    database = tmp_path / "production.sqlite3"
    assert not database.exists() or database.stat().st_size == 0


def test_demo_password_refused_by_the_validator_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(ValidationError) as excinfo:
        validate_password(DEMO_PASSWORD)
    assert any(error.code == "demo_password" for error in excinfo.value.error_list)


def test_demo_password_accepted_outside_production(settings):
    settings.PRODUCTION = False
    validate_password(DEMO_PASSWORD)  # no error: the demo accounts use it
