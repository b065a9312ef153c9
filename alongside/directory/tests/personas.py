"""The directory's staff personas, for its access and claim tests: the operator organization
and its editor, and directory editors of ``org`` and ``other_org`` (neither runs it)."""

import pytest

from alongside.core.roles import Role
from alongside.core.services import organization_create


@pytest.fixture
def operator(db, settings):
    """The organization that runs the directory (``ALONGSIDE_OPERATOR_ORG``)."""
    organization = organization_create(
        name="Peer Directory (test)", slug="peer-directory", state="NH"
    )
    settings.ALONGSIDE_OPERATOR_ORG = organization.slug
    return organization


@pytest.fixture
def operator_editor(make_user, operator):
    return make_user("olive", operator, [Role.DIRECTORY_EDITOR])


@pytest.fixture
def editor(make_user, org, operator):
    """A directory editor of ``org``, which does not run the directory."""
    return make_user("erin", org, [Role.DIRECTORY_EDITOR])


@pytest.fixture
def outside_editor(make_user, other_org, operator):
    """A directory editor of ``other_org``."""
    return make_user("oscar", other_org, [Role.DIRECTORY_EDITOR])
