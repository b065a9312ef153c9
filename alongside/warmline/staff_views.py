"""The responder console, a conversation, its record, and the supervisor's view.

Every page works without JavaScript (a form per action); with it, the console and the
conversation update live over the console's WebSocket (``consumers.ResponderConsumer``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.core.forms import act_and_tell, form_view
from alongside.core.tenancy import get_for_org_or_404
from alongside.directory.selectors import listing_names, listings_for_referral
from alongside.library.selectors import articles_in_reading_order
from alongside.warmline import selectors, services
from alongside.warmline.access import (
    admin_required,
    contact_for_request_or_404,
    lead_required,
    responder_required,
    watch_required,
)
from alongside.warmline.forms import (
    ContactRecordForm,
    LineForm,
    ListingSearchForm,
    MessageForm,
    TopicForm,
)
from alongside.warmline.models import Contact, ContactEvent, Line, Message, Topic

if TYPE_CHECKING:
    from django.http import HttpResponse

    from alongside.core.tenancy import StaffRequest


def _to_contact(contact: Contact) -> HttpResponse:
    return redirect("warmline_staff:contact", contact.pk)


@responder_required
def console(request: StaffRequest) -> HttpResponse:
    """The queue (chat and text, oldest first) and the responder's own conversations."""
    return render(
        request,
        "warmline/console.html",
        {
            "waiting": list(selectors.queue()),
            "mine": list(selectors.active_contacts(request.user)),
            "now": timezone.now(),
        },
    )


@watch_required
def contact(request: StaffRequest, pk: Any) -> HttpResponse:
    """One conversation: its transcript (opening it is audited), and the responder's tools."""
    item = contact_for_request_or_404(request, pk, audited=True)
    mine = item.responder_id == request.user.pk and item.status == Contact.Status.ACTIVE
    search = ListingSearchForm(request.GET or None)
    listings: list[Any] = []
    if mine and search.is_valid() and search.cleaned_data["find"]:
        listings, _problems = listings_for_referral(query=search.cleaned_data["find"], limit=5)
    transferred = item.events.filter(kind=ContactEvent.Kind.CRISIS_TRANSFER).exists()
    return render(
        request,
        "warmline/contact.html",
        {
            "contact": item,
            "mine": mine,
            "messages_shown": list(item.messages.order_by("seq")),
            "message_form": MessageForm(),
            "articles": articles_in_reading_order() if mine else [],
            "search": search,
            "listings": listings,
            "transferred": transferred,
            "steps": [_(step) for step in services.WARM_TRANSFER_STEPS],
            "earlier": selectors.earlier_contact_count(item),
            "history": selectors.returning_history(item),
        },
    )


def _own_active(request: StaffRequest, pk: Any) -> Contact:
    item = contact_for_request_or_404(request, pk)
    if item.responder_id != request.user.pk or item.status != Contact.Status.ACTIVE:
        raise Http404
    return item


@require_POST
@responder_required
def take(request: StaffRequest, pk: Any) -> HttpResponse:
    item = contact_for_request_or_404(request, pk)
    if not services.contact_take(contact=item, responder=request.user):
        from django.contrib import messages

        messages.error(request, _("Someone else has answered this person."))
        return redirect("warmline_staff:console")
    return _to_contact(item)


@require_POST
@responder_required
def send(request: StaffRequest, pk: Any) -> HttpResponse:
    item = _own_active(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        act_and_tell(
            request,
            lambda: services.message_store(
                contact=item,
                sender=Message.Sender.RESPONDER,
                body=form.cleaned_data["body"],
                client_id=form.cleaned_data["id"],
                author=request.user,
            ),
            _("Sent."),
        )
    return _to_contact(item)


@require_POST
@responder_required
def share(request: StaffRequest, pk: Any) -> HttpResponse:
    """Share a library article or a directory listing as a link, in one step."""
    item = _own_active(request, pk)
    article = request.POST.get("article", "")
    listing = request.POST.get("listing", "")
    title, url = "", ""
    if article:
        found = [a for a in articles_in_reading_order() if a.slug == article]
        if found:
            title, url = found[0].title, reverse("library:article", args=[article])
    elif listing:
        from alongside.directory.selectors import listing_name

        name = listing_name(listing)
        if name:
            title, url = name, reverse("directory:service", args=[listing])
    if not url:
        raise Http404
    act_and_tell(
        request,
        lambda: services.resource_share(contact=item, actor=request.user, title=title, url=url),
        _("Shared."),
    )
    return _to_contact(item)


@require_POST
@responder_required
def transfer(request: StaffRequest, pk: Any) -> HttpResponse:
    """Connect to 988: the steps of a warm transfer, 988's links in the conversation."""
    item = _own_active(request, pk)
    act_and_tell(
        request,
        lambda: services.crisis_transfer(contact=item, actor=request.user),
        _("988's links are in the conversation, and your supervisor has been told."),
    )
    return redirect(reverse("warmline_staff:contact", args=[item.pk]) + "#transfer")


@require_http_methods(["GET", "HEAD", "POST"])
@responder_required
def end(request: StaffRequest, pk: Any) -> HttpResponse:
    """End the contact with a short record: topics, resources, referrals, how it ended."""
    item = contact_for_request_or_404(request, pk)
    if item.responder_id != request.user.pk:
        raise Http404
    form = ContactRecordForm(request.POST or None)

    def save(data: dict[str, Any]) -> Any:
        return services.contact_record_save(
            contact=item,
            actor=request.user,
            topics=data["topics"],
            ending=data["ending"],
            referrals=data["referrals"],
            hard=data["hard"],
            notes=data["notes"],
        )

    def done(record: Any) -> HttpResponse:
        if record.hard:
            return redirect("warmline_staff:take_a_break")
        return redirect("warmline_staff:console")

    return form_view(
        request,
        form,
        save=save,
        done=done,
        template="warmline/end.html",
        context={"contact": item},
        success=_("The contact has ended and its record is saved."),
    )


@responder_required
def take_a_break(request: StaffRequest) -> HttpResponse:
    return render(request, "warmline/break.html", {})


@lead_required
def supervisor(request: StaffRequest) -> HttpResponse:
    """The live queue, who is talking (read-only), waiting times, contacts per hour today."""
    now = timezone.now()
    lines = list(Line.objects.select_related("on_duty_supervisor"))
    return render(
        request,
        "warmline/supervisor.html",
        {
            "overview": selectors.supervisor_overview(now, settings.TIME_ZONE),
            "lines": lines,
            "now": now,
        },
    )


@require_POST
@lead_required
def on_duty(request: StaffRequest, pk: Any) -> HttpResponse:
    line = get_for_org_or_404(Line, request.organization, pk=pk)
    act_and_tell(
        request,
        lambda: services.line_set_on_duty(line=line, actor=request.user, supervisor=request.user),
        _("You are the supervisor on duty for this line."),
    )
    return redirect("warmline_staff:supervisor")


@require_http_methods(["GET", "HEAD", "POST"])
@lead_required
def topics(request: StaffRequest) -> HttpResponse:
    """The organization's list of topics a record can name."""
    form = TopicForm(request.POST or None)
    return form_view(
        request,
        form,
        save=lambda data: services.topic_create(
            organization=request.organization, actor=request.user, name=data["name"]
        ),
        done=lambda _topic: redirect("warmline_staff:topics"),
        template="warmline/topics.html",
        context={"topics": list(Topic.objects.all())},
        success=_("Topic added."),
    )


@require_POST
@lead_required
def topic_toggle(request: StaffRequest, pk: Any) -> HttpResponse:
    topic = get_for_org_or_404(Topic, request.organization, pk=pk)
    act_and_tell(
        request,
        lambda: services.topic_set_offered(
            topic=topic, actor=request.user, offered=not topic.is_active
        ),
        _("Topic changed."),
    )
    return redirect("warmline_staff:topics")


@require_POST
@lead_required
def transcript_delete(request: StaffRequest, pk: Any) -> HttpResponse:
    """Delete a transcript before its time (a person asked); the record's facts stay."""
    item = contact_for_request_or_404(request, pk)
    if item.status != Contact.Status.ENDED:
        raise Http404
    act_and_tell(
        request,
        lambda: services.transcript_delete(contact=item, actor=request.user),
        _("The transcript is deleted."),
    )
    return _to_contact(item)


@admin_required
def lines(request: StaffRequest) -> HttpResponse:
    """The organization's lines, each with its listing (its hours) and text number."""
    found = list(Line.objects.order_by("created_at", "pk"))
    names = listing_names([line.listing_id for line in found])
    rows = [(line, names.get(line.listing_id)) for line in found]
    return render(request, "warmline/lines.html", {"rows": rows})


@require_http_methods(["GET", "HEAD", "POST"])
@admin_required
def line_create(request: StaffRequest) -> HttpResponse:
    form = LineForm(request.POST or None, initial={"is_active": True})
    return form_view(
        request,
        form,
        save=lambda data: services.line_create(
            organization=request.organization, actor=request.user, **data
        ),
        done=lambda _line: redirect("warmline_staff:lines"),
        template="warmline/line_form.html",
        context={"line": None},
        success=_("The line is created."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@admin_required
def line_edit(request: StaffRequest, pk: Any) -> HttpResponse:
    line = get_for_org_or_404(Line, request.organization, pk=pk)
    initial = {field: getattr(line, field) for field in services.LINE_FIELDS}
    initial["listing_id"] = str(line.listing_id or "")
    form = LineForm(request.POST or None, initial=initial)
    return form_view(
        request,
        form,
        save=lambda data: services.line_update(line=line, actor=request.user, **data),
        done=lambda _line: redirect("warmline_staff:lines"),
        template="warmline/line_form.html",
        context={"line": line},
        success=_("The line is saved."),
    )
