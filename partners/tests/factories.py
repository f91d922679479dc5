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
    Sector,
    SenegalRegion,
    TurnoverBand,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.INCUBATOR
    country = "SN"


class BelgianCompanyFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Entreprise belge {n}")
    kind = OrganisationKind.BELGIAN_COMPANY
    country = "BE"
    belgian_region = "brussels"


class OrganisationContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationContact

    organisation = factory.SubFactory(BelgianCompanyFactory)
    full_name = factory.Faker("name", locale="fr_BE")
    email = factory.Sequence(lambda n: f"contact{n}@example.be")


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Entreprise {n} SARL")
    legal_form = LegalForm.SARL
    sector = Sector.AGRIFOOD
    region = SenegalRegion.DAKAR
    year_founded = 2015
    turnover_band = TurnoverBand.FROM_50_TO_100M
    employees = 8


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
    company = factory.SubFactory(CompanyFactory)


class CoachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coach

    user = factory.SubFactory(UserFactory, roles=[Role.COACH])
    organisation = factory.SubFactory(OrganisationFactory)
