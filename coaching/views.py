"""The coach portal (my entrepreneurs, one entrepreneur's sessions and actions, logging and editing a
session) and the entrepreneur's coaching page. Thin: selectors read, services write."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role
from core.forms import form_add_validation_error

from . import selectors, services
from .forms import AttendanceForm, EventForm, SessionForm
from .models import ActionItem, CoachingSession


@role_required(Role.COACH)
def coach_home(request: HttpRequest) -> HttpResponse:
    return render(request, "coaching/coach_home.html", {"rows": selectors.coach_portal_rows(request.user)})


@role_required(Role.COACH)
def coach_entrepreneur(request: HttpRequest, application_pk: int) -> HttpResponse:
    assignment = selectors.coach_assignment_or_404(request.user, application_pk)
    application = assignment.application
    return render(
        request,
        "coaching/coach_entrepreneur.html",
        {
            "assignment": assignment,
            "application": application,
            "sessions": selectors.sessions_of(application, with_private=True),
            "actions": selectors.actions_of(application),
        },
    )


@role_required(Role.COACH)
def session_log(request: HttpRequest, application_pk: int) -> HttpResponse:
    """Log a session in under a minute. The form carries a token: sent twice, it records one session."""
    assignment = selectors.coach_assignment_or_404(request.user, application_pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session, created = services.coaching_session_log(
                coach=assignment.coach,
                application=assignment.application,
                held_on=data["held_on"],
                duration_minutes=data["duration_minutes"],
                kind=data["kind"],
                topic_tags=data["topic_tags"],
                summary=data["summary"],
                private_notes=data["private_notes"],
                actions=[services.ActionSpec(title=t, owner=o, due_on=d) for t, o, d in form.actions()],
                client_token=data["client_token"],
                by=request.user,
            )
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            if created:
                messages.success(request, _("Séance enregistrée."))
            else:
                messages.info(request, _("Cette séance était déjà enregistrée : elle n'est pas comptée deux fois."))
            return redirect("coaching:coach_entrepreneur", application_pk=session.application_id)
    return render(
        request, "coaching/session_form.html", {"form": form, "assignment": assignment, "application": assignment.application}
    )


@role_required(Role.COACH)
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A coach corrects one of their own sessions (another coach's session is a 404)."""
    session = get_object_or_404(
        CoachingSession.objects.select_related("coach", "application__entrepreneur"), pk=pk, coach__user=request.user
    )
    if session.event_id:
        # An event's sessions share its duration (the coach's time counts once): they change with its attendance.
        messages.info(request, _("Cette séance vient d'un événement collectif : corrigez-la depuis l'appel de l'événement."))
        return redirect("coaching:event_attendance", pk=session.event_id)
    initial = {
        "held_on": session.held_on,
        "duration_minutes": session.duration_minutes,
        "kind": session.kind,
        "topic_tags": session.topic_tags,
        "summary": session.topics,
        "private_notes": session.private_notes,
    }
    form = SessionForm(request.POST or None, initial=initial, with_actions=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.coaching_session_update(
                session=session,
                by=request.user,
                held_on=data["held_on"],
                duration_minutes=data["duration_minutes"],
                kind=data["kind"],
                topic_tags=data["topic_tags"],
                summary=data["summary"],
                private_notes=data["private_notes"],
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("Séance modifiée."))
            return redirect("coaching:coach_entrepreneur", application_pk=session.application_id)
    return render(request, "coaching/session_form.html", {"form": form, "session": session, "application": session.application})


@role_required(Role.ENTREPRENEUR)
def my_coaching(request: HttpRequest) -> HttpResponse:
    """The entrepreneur's sessions (without the coach's private notes) and actions to tick."""
    applications = [
        {
            "application": application,
            "sessions": selectors.sessions_of(application, with_private=False),
            "actions": selectors.actions_of(application),
        }
        for application in selectors.entrepreneur_applications_with_coaching(request.user)
    ]
    return render(request, "coaching/my_coaching.html", {"applications": applications})


@role_required(Role.ENTREPRENEUR, Role.COACH)
@require_POST
def action_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ActionItem, pk=pk)
    try:
        item = services.action_item_set_done(item=item, by=request.user, done=request.POST.get("done") == "1")
    except PermissionDenied as denied:
        raise Http404 from denied
    if request.user.has_role(Role.COACH) and not request.user.has_role(Role.ENTREPRENEUR):
        return redirect("coaching:coach_entrepreneur", application_pk=item.application_id)
    return redirect("coaching:my_coaching")


@role_required(Role.COACH)
def event_list(request: HttpRequest) -> HttpResponse:
    return render(request, "coaching/event_list.html", {"events": selectors.events_for_coach(request.user)})


@role_required(Role.COACH)
def event_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None, cohorts=selectors.coach_cohorts(request.user))
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.moments()
        event = services.group_event_create(
            cohort=form.cleaned_data["cohort"],
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            starts_at=starts_at,
            ends_at=ends_at,
            location=form.cleaned_data["location"],
            by=request.user,
        )
        return redirect("coaching:event_attendance", pk=event.pk)
    return render(request, "coaching/event_form.html", {"form": form})


@role_required(Role.COACH)
def event_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance list of a group event, ticked in one screen."""
    event = selectors.event_for_coach_or_404(request.user, pk)
    applications = list(selectors.event_applications(event))
    form = AttendanceForm(
        request.POST or None, applications=applications, initial={"present": sorted(selectors.present_ids(event))}
    )
    if request.method == "POST" and form.is_valid():
        coach = request.user.coach if form.cleaned_data["i_led_it"] else None
        present, absent = services.event_attendance_record(
            event=event, present=set(form.cleaned_data["present"]), coach=coach, by=request.user
        )
        messages.success(
            request,
            _("Présences enregistrées : %(present)s présent·es, %(absent)s absent·es.") % {"present": present, "absent": absent},
        )
        return redirect("coaching:event_list")
    return render(request, "coaching/event_attendance.html", {"event": event, "form": form, "count": len(applications)})
