"""Helpers of the screening tests: applicants with a chosen profile, and the POST data of the criteria formset."""

from django.utils import timezone

from cohorts.forms.screening import FORMSET_PREFIX
from cohorts.models import ApplicationStatus
from cohorts.tests.factories import ApplicationFactory


def applicant(
    cohort,
    *,
    gender: str = "woman",
    company_age: int = 8,
    region: str = "dakar",
    diaspora: bool = False,
    status: str = ApplicationStatus.SUBMITTED,
    **company,
):
    """A submitted application whose company is `company_age` years old on the day of submission."""
    submitted_at = timezone.now()
    return ApplicationFactory(
        cohort=cohort,
        status=status,
        submitted_at=submitted_at,
        entrepreneur__gender=gender,
        entrepreneur__diaspora=diaspora,
        entrepreneur__company__year_founded=submitted_at.date().year - company_age,
        entrepreneur__company__region=region,
        **{f"entrepreneur__company__{name}": value for name, value in company.items()},
    )


def criteria_post(rows: list[dict], *, initial: int = 0) -> dict:
    """The formset's POST data for `rows` (each a dict of field -> value; "id" for existing criteria,
    "DELETE" to remove one). The first `initial` rows are the existing criteria, as the page sends them."""
    data = {
        f"{FORMSET_PREFIX}-TOTAL_FORMS": str(len(rows)),
        f"{FORMSET_PREFIX}-INITIAL_FORMS": str(initial),
        f"{FORMSET_PREFIX}-MIN_NUM_FORMS": "0",
        f"{FORMSET_PREFIX}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        row = dict(row)
        if "label" in row:  # the page edits each language's label: the French one is `label_fr`
            row["label_fr"] = row.pop("label")
        values = {"order": index, "is_active": True, "label_fr": f"Critère {index + 1}", "label_en": "", "value": "", **row}
        for name, value in values.items():
            if value is True:
                value = "on"
            elif value is False:
                continue  # an unticked checkbox is not sent
            data[f"{FORMSET_PREFIX}-{index}-{name}"] = "" if value is None else str(value)
    return data
