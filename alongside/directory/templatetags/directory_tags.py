from django import template

from alongside.directory.taxonomy import TERM_BY_CODE

register = template.Library()


@register.filter
def term_label(code: str) -> str:
    term = TERM_BY_CODE.get(code)
    return str(term.label) if term else code


@register.filter
def miles(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.1f}"
