"""Running a report (audited) and recording GPRA interview dates."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction

from alongside.core.audit import Action, audit_record
from alongside.core.records import record_create, record_update
from alongside.reports.catalog import ReportResult, run_report
from alongside.reports.models import GpraEpisode
from alongside.reports.registry import Report

if TYPE_CHECKING:
    from django.http import HttpRequest

EPISODE_FIELDS = ("intake_on", "followup_on", "discharge_on")


@transaction.atomic
def report_run(
    *,
    request: HttpRequest,
    report: Report,
    start: date,
    end: date,
    suppressed: bool,
    exported: bool,
) -> ReportResult:
    """Run ``report`` and write who ran which report for which period (a page read is a view,
    a file or API answer an export). The event names no participant: a report holds counts."""
    result = run_report(report, start, end, suppressed=suppressed)
    audit_record(
        action=Action.EXPORT if exported else Action.VIEW,
        request=request,
        object_type="reports.report",
        object_id=f"{report.name} v{report.version} {start.isoformat()}..{end.isoformat()}",
    )
    return result


def gpra_episode_create(*, participant: Any, actor: Any, data: dict[str, Any]) -> GpraEpisode:
    """Start a GPRA episode for ``participant`` from its intake interview date."""
    episode = GpraEpisode(organization=participant.organization, participant=participant)
    return record_create(episode, actor=actor, fields=EPISODE_FIELDS, data=data)


def gpra_episode_update(*, episode: GpraEpisode, actor: Any, data: dict[str, Any]) -> list[str]:
    """Record the follow-up or discharge interview date of an episode (or correct one)."""
    return record_update(episode, actor=actor, fields=EPISODE_FIELDS, data=data)
