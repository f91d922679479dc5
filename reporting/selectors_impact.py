"""Contribution ([9] item 5): the outcomes of the participants (selected, travelled) beside those of
the comparison group (eligible applicants who were not selected and agreed, when they applied, to be
asked the same short questions at +6 and +12 months). One selector for the page and the DAC report."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from cohorts.models import Application, Cohort, Programme
from core.data_version import cached_per_version
from mobility.models import CheckInStatus, FollowUpCheckIn, comparison_condition
from mobility.selectors import travelled_application_ids

from .persistence import share

#: Below this many answers, a group's share is not shown: one person would move it by 20 points or more.
MIN_ANSWERS = 5
#: The milestones asked of both groups.
MILESTONES = (6, 12)
PARTICIPANTS, COMPARISON = "participants", "comparison"
GROUP_LABELS = {
    PARTICIPANTS: _("Participant·es (sélectionné·es, mobilité effectuée)"),
    COMPARISON: _("Groupe de comparaison (éligibles non retenu·es, avec leur accord)"),
}


def participants_condition() -> Q:
    """Applications of the participants: selected entrepreneurs who made the mobility."""
    return Q(pk__in=travelled_application_ids())


@dataclass
class Share:
    """Yes-answers to one question among those who answered it; `value` is None below MIN_ANSWERS."""

    yes: int
    answered: int

    @property
    def too_few(self) -> bool:
        return self.answered < MIN_ANSWERS

    @property
    def value(self) -> Decimal | None:
        return None if self.too_few else share(self.yes, self.answered)


@dataclass
class MilestoneOutcomes:
    months: int
    #: check-ins done (answered) at this milestone
    answered: int = 0
    belgian_partner: Share = field(default_factory=lambda: Share(0, 0))
    exports: Share = field(default_factory=lambda: Share(0, 0))
    jobs_total: int = 0

    @property
    def too_few(self) -> bool:
        return self.answered < MIN_ANSWERS

    @property
    def jobs_mean(self) -> Decimal | None:
        if self.too_few:
            return None
        return (Decimal(self.jobs_total) / Decimal(self.answered)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class GroupOutcomes:
    key: str
    label: str
    size: int = 0
    milestones: dict[int, MilestoneOutcomes] = field(default_factory=dict)

    def at(self, months: int) -> MilestoneOutcomes:
        return self.milestones[months]

    @property
    def at_6(self) -> MilestoneOutcomes:
        return self.milestones[6]

    @property
    def at_12(self) -> MilestoneOutcomes:
        return self.milestones[12]


@dataclass
class OutcomeComparison:
    programme: Programme
    cohort: Cohort | None
    participants: GroupOutcomes
    comparison: GroupOutcomes
    min_answers: int = MIN_ANSWERS

    @property
    def groups(self) -> list[GroupOutcomes]:
        return [self.participants, self.comparison]

    @property
    def rows(self) -> list[tuple[int, MilestoneOutcomes, MilestoneOutcomes]]:
        """(months, participants' outcomes, comparison group's outcomes) per milestone."""
        return [(months, self.participants.at(months), self.comparison.at(months)) for months in MILESTONES]


def outcomes_compared(programme: Programme, cohort: Cohort | None = None) -> OutcomeComparison:
    """Group sizes and, at +6 and +12 months, the answered check-ins (status done) of each group: share
    with a partnership with a Belgian company, share exporting to Europe, jobs created (total, mean).
    Two queries, once per data version (core.data_version) for every reader: the comparison page and
    the DAC report."""
    if cohort is not None and cohort.programme_id != programme.pk:
        raise ValueError("The cohort does not belong to the programme.")
    key = f"pem:outcomes-compared:{programme.pk}:{cohort.pk if cohort is not None else '-'}"
    return cached_per_version(key, lambda: _outcomes_compared(programme, cohort))


def _outcomes_compared(programme: Programme, cohort: Cohort | None) -> OutcomeComparison:
    applications = (
        Application.objects.filter(cohort=cohort) if cohort else Application.objects.filter(cohort__programme=programme)
    )
    sizes = applications.order_by().aggregate(
        participants=Count("pk", filter=participants_condition()),
        comparison=Count("pk", filter=comparison_condition()),
    )
    groups = {
        key: GroupOutcomes(key=key, label=str(GROUP_LABELS[key]), size=sizes[key] or 0,
                           milestones={months: MilestoneOutcomes(months=months) for months in MILESTONES})
        for key in (PARTICIPANTS, COMPARISON)
    }  # fmt: skip
    group = Case(
        When(application__in=travelled_application_ids(), then=Value(PARTICIPANTS)),
        When(comparison_condition("application__"), then=Value(COMPARISON)),
        default=Value(""),
        output_field=CharField(),
    )
    check_ins = FollowUpCheckIn.objects.filter(
        application__in=applications, status=CheckInStatus.DONE, months_after__in=MILESTONES
    ).order_by()
    for row in check_ins.values("months_after", in_group=group).annotate(
        answered=Count("pk"),
        partner_yes=Count("pk", filter=Q(has_belgian_partner=True)),
        partner_answered=Count("pk", filter=Q(has_belgian_partner__isnull=False)),
        exports_yes=Count("pk", filter=Q(exports_to_europe=True)),
        exports_answered=Count("pk", filter=Q(exports_to_europe__isnull=False)),
        jobs=Sum("jobs_created"),
    ):
        if row["in_group"] not in groups:  # neither group: not selected without consent, or selected who did not travel
            continue
        outcome = groups[row["in_group"]].milestones[row["months_after"]]
        outcome.answered = row["answered"]
        outcome.belgian_partner = Share(row["partner_yes"], row["partner_answered"])
        outcome.exports = Share(row["exports_yes"], row["exports_answered"])
        outcome.jobs_total = row["jobs"] or 0
    return OutcomeComparison(programme=programme, cohort=cohort, participants=groups[PARTICIPANTS], comparison=groups[COMPARISON])
