"""Cards that apps add to the staff dashboard, without the dashboard knowing the apps.

The dashboard belongs to care; workforce (and later billing, the warm line) sit above care
and may not be imported by it. Each app registers a card once (``AppConfig.ready``): a
template and a function that gives its context for a request, or ``None`` to show nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    order: int


_panels: dict[str, Panel] = {}


def register_panel(
    template: str, context: Callable[[HttpRequest], dict[str, Any] | None], *, order: int = 50
) -> None:
    """Add a card (once per template, so a second ``ready`` changes nothing)."""
    _panels[template] = Panel(template, context, order)


def panels_for(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    """The cards this request shows, in order: (template, context) pairs."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.template)):
        context = panel.context(request)
        if context is not None:
            shown.append((panel.template, context))
    return shown


# Panels beside a note while it is written (care's encounter page): (request, encounter) ->
# context, or None to show nothing. Billing says there whether the note will be billable.
NoteContext = Callable[["HttpRequest", Any], dict[str, Any] | None]
_note_panels: dict[str, NoteContext] = {}


def register_note_panel(template: str, context: NoteContext) -> None:
    """Add a panel to the note page (once per template)."""
    _note_panels[template] = context


def note_panels_for(request: HttpRequest, encounter: Any) -> list[tuple[str, dict[str, Any]]]:
    """The panels this note shows, by template name: (template, context) pairs."""
    shown = []
    for template in sorted(_note_panels):
        context = _note_panels[template](request, encounter)
        if context is not None:
            shown.append((template, context))
    return shown


# Sections of a participant's page (care's record page), added by apps above care:
# (request, participant) -> context, or None to show nothing. Outcomes shows the person's
# recovery measures there.
ParticipantContext = Callable[["HttpRequest", Any], dict[str, Any] | None]
_participant_panels: dict[str, ParticipantContext] = {}


def register_participant_panel(template: str, context: ParticipantContext) -> None:
    """Add a section to the participant page (once per template)."""
    _participant_panels[template] = context


def participant_panels_for(request: HttpRequest, participant: Any) -> list[tuple[str, dict]]:
    """The sections this participant's page shows, by template name: (template, context)."""
    shown = []
    for template in sorted(_participant_panels):
        context = _participant_panels[template](request, participant)
        if context is not None:
            shown.append((template, context))
    return shown
