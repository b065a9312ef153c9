from pathlib import Path

import pytest

HSDS_KIT = Path(__file__).with_name("hsds-3.0")


@pytest.fixture
def sample(db):
    """The fictional New Hampshire directory (loaded once per test database, see conftest)."""


@pytest.fixture
def kit() -> Path:
    """Open Referral's HSDS 3.0 schemas and examples, vendored next to the tests (CC BY-SA 4.0)."""
    return HSDS_KIT
