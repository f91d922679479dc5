"""Trips and their B2B meetings: staff's trip list, trip page (agenda by day and by week, costs),
meeting forms and programme-wide meeting list; the entrepreneur's own trip, read-only; the agenda as an
.ics file. Thin views over mobility.selectors_trips and mobility.services_trips."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required, staff_required
from accounts.models import Role
from core.forms import form_add_validation_error

from . import selectors_trips as selectors
from . import services_trips as services
from .agenda_ics import trip_agenda_ics
from .forms_trips import CostForm, MeetingFilter, MeetingForm, OutcomeForm, TripFilter, TripForm
from .models import B2BMeeting, Trip, TripCost, TripStatus

PAGE_SIZE = 50


def trip_url(trip: Trip) -> str:
    return reverse("mobility:trip_detail", args=[trip.pk])


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@staff_required
def trip_list(request: HttpRequest) -> HttpResponse:
    filterset = TripFilter(request.GET, queryset=selectors.trips_with_figures().order_by("-departs_on", "-pk"))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "mobility/trips/list.html", {"filter": filterset, "page": page, "query": _query_without_page(request)})


def _trip_context(trip: Trip, view: str) -> dict:
    meetings = selectors.agenda(trip)
    return {
        "trip": trip,
        "meetings": meetings,
        "days": selectors.agenda_by_day(meetings),
        "weeks": selectors.agenda_weeks(trip, meetings) if view == "week" else [],
        "view": view,
        "costs": selectors.trip_costs(trip),
    }


def _view(request: HttpRequest) -> str:
    return "week" if request.GET.get("vue") == "semaine" else "list"


@staff_required
def trip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    trip = get_object_or_404(selectors.trips_with_figures(), pk=pk)
    context = _trip_context(trip, _view(request))
    context.update({"cost_form": CostForm(), "staff_view": True})
    return render(request, "mobility/trips/detail.html", context)


@staff_required
def trip_create(request: HttpRequest) -> HttpResponse:
    form = TripForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            trip = services.trip_create(
                application=data["application"],
                mission=data["mission"],
                departs_on=data["departs_on"],
                returns_on=data["returns_on"],
                cities=data["cities"],
                by=request.user,
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("Voyage créé."))
            return redirect("mobility:trip_detail", pk=trip.pk)
    return render(request, "mobility/trips/trip_form.html", {"form": form, "trip": None})


@staff_required
def trip_edit(request: HttpRequest, pk: int) -> HttpResponse:
    trip = get_object_or_404(Trip.objects.select_related("application__entrepreneur", "application__cohort"), pk=pk)
    initial = {"mission": trip.mission_id, "departs_on": trip.departs_on, "returns_on": trip.returns_on, "cities": trip.cities}
    form = TripForm(request.POST or None, initial=initial, trip=trip)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.trip_update(
                trip=trip,
                mission=data["mission"],
                departs_on=data["departs_on"],
                returns_on=data["returns_on"],
                cities=data["cities"],
                by=request.user,
            )
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("Voyage modifié."))
            return redirect("mobility:trip_detail", pk=trip.pk)
    return render(request, "mobility/trips/trip_form.html", {"form": form, "trip": trip})


@staff_required
@require_POST
def trip_status(request: HttpRequest, pk: int) -> HttpResponse:
    trip = get_object_or_404(Trip, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "complete":
            services.trip_complete(trip=trip, by=request.user)
            messages.success(request, _("Voyage marqué effectué."))
        elif action == "cancel":
            services.trip_cancel(trip=trip, by=request.user)
            messages.success(request, _("Voyage annulé."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("mobility:trip_detail", pk=trip.pk)


@staff_required
def trip_ics(request: HttpRequest, pk: int) -> HttpResponse:
    trip = get_object_or_404(Trip.objects.select_related("application__entrepreneur"), pk=pk)
    return _ics_response(trip)


def _ics_response(trip: Trip) -> HttpResponse:
    response = HttpResponse(trip_agenda_ics(trip, selectors.agenda(trip)), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_("agenda")}-{trip.departs_on:%Y%m%d}-{trip.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def _meeting_form_page(request, form: MeetingForm, trip: Trip, meeting: B2BMeeting | None) -> HttpResponse:
    return render(request, "mobility/trips/meeting_form.html", {"form": form, "trip": trip, "meeting": meeting})


def _meeting_fields(form: MeetingForm) -> dict:
    data = form.cleaned_data
    return {
        "organisation": data["organisation"],
        "contact": data["contact"],
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "time_zone": data["time_zone"],
        "city": data["city"],
        "place": data["place"],
        "attendees": data["attendees"],
    }


@staff_required
def meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    trip = get_object_or_404(Trip.objects.select_related("application__entrepreneur"), pk=pk)
    form = MeetingForm(request.POST or None, initial={"day": trip.departs_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.b2b_meeting_schedule(trip=trip, by=request.user, **_meeting_fields(form))
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Rendez-vous ajouté à l'agenda."))
            return redirect("mobility:trip_detail", pk=trip.pk)
    return _meeting_form_page(request, form, trip, None)


def _meeting(pk: int) -> B2BMeeting:
    return get_object_or_404(
        B2BMeeting.objects.select_related("trip__application__entrepreneur", "organisation", "contact"), pk=pk
    )


@staff_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.b2b_meeting_update(meeting=meeting, by=request.user, **_meeting_fields(form))
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Rendez-vous modifié."))
            return redirect("mobility:trip_detail", pk=meeting.trip_id)
    return _meeting_form_page(request, form, meeting.trip, meeting)


@staff_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    try:
        services.b2b_meeting_cancel(meeting=meeting, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Rendez-vous retiré de l'agenda."))
    return redirect("mobility:trip_detail", pk=meeting.trip_id)


@staff_required
def meeting_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    initial = {
        "interest_level": meeting.interest_level,
        "outcome": meeting.outcome,
        "next_step": meeting.next_step,
        "next_step_owner": meeting.next_step_owner,
        "next_step_due": meeting.next_step_due,
        "notes": meeting.notes,
    }
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.b2b_meeting_outcome_record(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("Résultat du rendez-vous enregistré."))
            return redirect("mobility:trip_detail", pk=meeting.trip_id)
    return render(request, "mobility/trips/outcome_form.html", {"form": form, "meeting": meeting, "trip": meeting.trip})


@staff_required
def cost_add(request: HttpRequest, pk: int) -> HttpResponse:
    trip = get_object_or_404(Trip.objects.select_related("application__entrepreneur"), pk=pk)
    form = CostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.trip_cost_add(trip=trip, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_validation_error(form, error)
        else:
            messages.success(request, _("Coût ajouté."))
            return redirect(f"{trip_url(trip)}#couts")
    return render(request, "mobility/trips/cost_form.html", {"form": form, "trip": trip})


@staff_required
@require_POST
def cost_remove(request: HttpRequest, pk: int) -> HttpResponse:
    cost = get_object_or_404(TripCost.objects.select_related("trip"), pk=pk)
    services.trip_cost_remove(cost=cost, by=request.user)
    messages.success(request, _("Coût supprimé."))
    return redirect(f"{trip_url(cost.trip)}#couts")


@staff_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Every meeting of a programme or cohort, in date order, 50 a page."""
    filterset = MeetingFilter(request.GET, queryset=selectors.meetings_for_list())
    # The page's ids first, read from the date-order index alone, then those 50 rows with their joins:
    # a late page does not make the database join and sort all the meetings before it.
    page = Paginator(filterset.qs.select_related(None).values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.meetings_by_ids(list(page.object_list))
    return render(
        request, "mobility/trips/meeting_list.html", {"filter": filterset, "page": page, "query": _query_without_page(request)}
    )


# --------------------------------------------------------------------------------------------------
# The entrepreneur's own trip
# --------------------------------------------------------------------------------------------------


@role_required(Role.ENTREPRENEUR)
def my_trip(request: HttpRequest) -> HttpResponse:
    """My trips (usually one), each with its agenda and the .ics to download; read-only."""
    trips = list(
        selectors.trips_with_figures()
        .filter(application__entrepreneur__user=request.user)
        .exclude(status=TripStatus.CANCELLED)
        .order_by("departs_on")
    )
    view = _view(request)
    return render(request, "mobility/trips/my_trip.html", {"trips": [_trip_context(trip, view) for trip in trips], "view": view})


@role_required(Role.ENTREPRENEUR)
def my_trip_ics(request: HttpRequest, pk: int) -> HttpResponse:
    trip = get_object_or_404(
        Trip.objects.select_related("application__entrepreneur"), pk=pk, application__entrepreneur__user=request.user
    )
    return _ics_response(trip)
