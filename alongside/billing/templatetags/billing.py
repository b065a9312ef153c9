from django import template

from alongside.billing.rules import dollars as as_dollars

register = template.Library()


@register.filter
def dollars(cents: int) -> str:
    """Integer cents as dollars with two decimals."""
    return as_dollars(int(cents or 0))


@register.filter
def get_meaning(meanings: dict[str, str], code: str) -> str:
    return meanings.get(code, "")
