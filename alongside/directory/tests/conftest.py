import pytest


@pytest.fixture
def sample(db):
    """The fictional New Hampshire directory (loaded once per test database, see conftest)."""
