"""Template filters for the staff side of the directory."""

from django import template

from alongside.core.models import Organization
from alongside.directory.access import is_operator

register = template.Library()


@register.filter
def runs_directory(organization: Organization | None) -> bool:
    """Whether ``organization`` is the directory's operator (``ALONGSIDE_OPERATOR_ORG``)."""
    return is_operator(organization)
