"""Alumni ([9] item 6): the staff directory of entrepreneurs whose follow-up is complete (search,
filters, peer mentors, a link to write to them), and the entrepreneur's own answer on peer mentoring."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import role_required
from accounts.models import Role
from cohorts.models import Cohort
from partners.models import Entrepreneur
from partners.services import entrepreneur_peer_mentor_update

from . import selectors_alumni as selectors
from .forms_alumni import AlumniFilterForm, PeerMentorForm

PAGE_SIZE = 50


@role_required(Role.STAFF)
def alumni_list(request: HttpRequest) -> HttpResponse:
    form = AlumniFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "search": data["q"].strip(),
            "cohort": data["cohort"],
            "sector": data["sector"],
            "region": data["region"],
            "mentors_only": data["mentors_only"],
        }
    page = Paginator(selectors.alumni(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    cohorts = Cohort.objects.select_related("programme").in_bulk(
        {person.alumni_cohort_id for person in page if person.alumni_cohort_id}
    )
    rows = [(person, cohorts.get(person.alumni_cohort_id)) for person in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mobility/alumni/list.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode(), "filtered": bool(query)},
    )


@role_required(Role.ENTREPRENEUR)
@require_http_methods(["GET", "POST"])
def peer_mentor_edit(request: HttpRequest) -> HttpResponse:
    entrepreneur = Entrepreneur.objects.filter(user=request.user).first()
    if entrepreneur is None:
        raise Http404
    form = PeerMentorForm(request.POST or None, instance=entrepreneur)
    if request.method == "POST" and form.is_valid():
        entrepreneur_peer_mentor_update(
            entrepreneur=entrepreneur,
            available=form.cleaned_data["peer_mentor_available"],
            topics=form.cleaned_data["peer_mentor_topics"],
        )
        messages.success(request, _("Merci, votre réponse est enregistrée."))
        return redirect("mobility:peer_mentor_edit")
    return render(
        request,
        "mobility/alumni/peer_mentor.html",
        {"form": form, "is_alumnus": selectors.is_alumnus(entrepreneur)},
    )
