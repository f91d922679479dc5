import factory

from accounts.models import Role
from accounts.tests.factories import UserFactory
from partners.models import (
    AgeBand,
    Coach,
    Company,
    Education,
    Entrepreneur,
    Gender,
    LegalForm,
    Organisation,
    OrganisationContact,
    OrganisationKind,
    Region,
    RegionGroup,
    Sector,
    TurnoverBand,
)
from partners.validators import enterprise_number_check_digits


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.INCUBATOR
    country = "SN"


def valid_enterprise_number(n: int) -> str:
    """The n-th fictitious enterprise number with right check digits (0500.000.0xx and up)."""
    first_eight = f"{5_000_000 + n:08d}"
    return first_eight + f"{enterprise_number_check_digits(first_eight):02d}"


class BelgianCompanyFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Entreprise belge {n}")
    kind = OrganisationKind.BELGIAN_COMPANY
    country = "BE"
    belgian_region = "brussels"
    enterprise_number = factory.Sequence(valid_enterprise_number)
    languages = factory.LazyFunction(lambda: ["fr"])


class RelayAgencyFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Agence relais {n}")
    kind = OrganisationKind.SUPPORT_AGENCY
    country = "BE"


class OrganisationContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationContact

    organisation = factory.SubFactory(BelgianCompanyFactory)
    full_name = factory.Faker("name", locale="fr_BE")
    email = factory.Sequence(lambda n: f"contact{n}@example.be")


def region(code: str, country: str | None = None) -> Region:
    """A seeded region (the data migration creates them) by its internal code."""
    regions = Region.objects.filter(code=code)
    return regions.get(country=country) if country else regions.get()


def dakar_thies_axis() -> RegionGroup:
    """The region group seeded by the data migration (the evaluation's Dakar–Thiès axis)."""
    return RegionGroup.objects.get(country="SN", name_fr="Axe Dakar–Thiès")


def _country_of(place: Region | str | None) -> str:
    """The country of a region given as a row or a code (Senegal when there is none)."""
    if isinstance(place, str) and place:
        place = region(place)
    return place.country.code if place else "SN"


class CompanyFactory(factory.django.DjangoModelFactory):
    """A company in Senegal (Dakar) by default; `region` may be given as a code ("kolda", "abidjan")."""

    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Entreprise {n} SARL")
    legal_form = LegalForm.SARL
    sector = Sector.AGRIFOOD
    region = "dakar"
    country = factory.LazyAttribute(lambda o: _country_of(o.region))
    year_founded = 2015
    turnover_band = TurnoverBand.FROM_50_TO_100M
    employees = 8

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if isinstance(kwargs.get("region"), str):
            kwargs["region"] = region(kwargs["region"], kwargs.get("country"))
        return kwargs


class EntrepreneurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entrepreneur

    user = factory.SubFactory(UserFactory, roles=[Role.ENTREPRENEUR])
    first_name = factory.SelfAttribute("user.first_name")
    last_name = factory.SelfAttribute("user.last_name")
    email = factory.SelfAttribute("user.email")
    gender = Gender.WOMAN
    age_band = AgeBand.FROM_35_TO_44
    education = Education.MASTER
    #: Diaspora is derived from the residence (against the programme's country, Senegal by default).
    country_of_residence = factory.LazyAttribute(lambda o: "BE" if o.diaspora else "SN")
    company = factory.SubFactory(CompanyFactory)

    class Params:
        diaspora = False


class CoachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coach

    user = factory.SubFactory(UserFactory, roles=[Role.COACH])
    organisation = factory.SubFactory(OrganisationFactory)
