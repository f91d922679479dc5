"""Services of the Belgian company directory: companies (enterprise number normalised, checked, unique,
the duplicate named) and their contacts."""

import pytest
from django.core.exceptions import ValidationError

from partners.models import BelgianRegion, Organisation, OrganisationContact, OrganisationKind, Sector
from partners.services import (
    belgian_company_create,
    belgian_company_update,
    organisation_contact_add,
    organisation_contact_remove,
    organisation_contact_update,
)
from partners.tests.factories import BelgianCompanyFactory, OrganisationContactFactory, RelayAgencyFactory

pytestmark = pytest.mark.django_db


def create(**changes) -> Organisation:
    values = {
        "name": "Chocolaterie Exemple SRL",
        "enterprise_number": "BE 0123.456.749",
        "belgian_region": BelgianRegion.WALLONIA,
        "city": " Namur ",
        "sector": Sector.AGRIFOOD,
        "languages": ["en", "fr"],
    }
    return belgian_company_create(**{**values, **changes})


def test_a_company_is_created_with_its_number_as_digits_and_its_languages_in_order():
    agency = RelayAgencyFactory(short_name="AWEX")

    company = create(relay_agency=agency)

    company.refresh_from_db()
    assert company.kind == OrganisationKind.BELGIAN_COMPANY and company.country.code == "BE"
    assert company.enterprise_number == "0123456749" and company.enterprise_number_display == "0123.456.749"
    assert company.languages == ["fr", "en"] and company.language_labels == ["Français", "Anglais"]
    assert company.city == "Namur" and company.relay_agency == agency


def test_wrong_check_digits_are_refused_on_the_field():
    with pytest.raises(ValidationError) as error:
        create(enterprise_number="0123.456.748")

    assert "modulo 97" in error.value.message_dict["enterprise_number"][0]
    assert not Organisation.objects.filter(kind=OrganisationKind.BELGIAN_COMPANY).exists()


def test_a_duplicate_number_in_another_format_names_the_company_that_has_it():
    BelgianCompanyFactory(name="Brasserie Déjà Là", enterprise_number="0123456749")

    with pytest.raises(ValidationError) as error:
        create(enterprise_number="BE0123456749")

    message = error.value.message_dict["enterprise_number"][0]
    assert "Brasserie Déjà Là" in message and "0123.456.749" in message


def test_the_enterprise_number_is_required_on_creation():
    with pytest.raises(ValidationError) as error:
        create(enterprise_number="  ")

    assert "enterprise_number" in error.value.message_dict


def test_a_name_already_listed_is_refused():
    BelgianCompanyFactory(name="Chocolaterie Exemple SRL")

    with pytest.raises(ValidationError) as error:
        create()

    assert "name" in error.value.message_dict


def test_an_unknown_language_is_refused():
    with pytest.raises(ValidationError) as error:
        create(languages=["fr", "xx"])

    assert "languages" in error.value.message_dict


def test_an_update_keeps_its_own_number_and_refuses_another_companys():
    company = create()
    other = BelgianCompanyFactory(name="Autre SA")

    belgian_company_update(company=company, city="Liège", enterprise_number="0123.456.749")
    company.refresh_from_db()
    assert company.city == "Liège"

    with pytest.raises(ValidationError) as error:
        belgian_company_update(company=company, enterprise_number=other.enterprise_number)
    assert "Autre SA" in error.value.message_dict["enterprise_number"][0]
    company.refresh_from_db()
    assert company.enterprise_number == "0123456749"


def test_an_update_refuses_a_field_outside_the_directory():
    with pytest.raises(TypeError):
        belgian_company_update(company=create(), kind=OrganisationKind.DONOR)


def test_contacts_are_added_updated_and_removed():
    company = BelgianCompanyFactory()

    contact = organisation_contact_add(organisation=company, full_name=" Marie Dupont ", email="marie@exemple.be", language="nl")
    assert contact.full_name == "Marie Dupont" and contact.language == "nl"

    organisation_contact_update(contact=contact, position="Directrice", phone="+32 2 123 45 67")
    contact.refresh_from_db()
    assert contact.position == "Directrice"

    organisation_contact_remove(contact=contact)
    assert not OrganisationContact.objects.filter(pk=contact.pk).exists()


def test_the_same_contact_email_twice_in_a_company_is_refused_with_the_name():
    existing = OrganisationContactFactory(full_name="Jan Peeters", email="jan@exemple.be")

    with pytest.raises(ValidationError) as error:
        organisation_contact_add(organisation=existing.organisation, full_name="J. Peeters", email="JAN@exemple.be")

    assert "Jan Peeters" in error.value.message_dict["email"][0]


def test_a_bad_contact_email_or_language_is_refused():
    with pytest.raises(ValidationError) as error:
        organisation_contact_add(organisation=BelgianCompanyFactory(), full_name="X", email="pas-un-email", language="de")

    assert {"email", "language"} <= set(error.value.message_dict)
