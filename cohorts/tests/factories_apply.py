"""Helpers for the applicant's wizard tests: a draft filled up to the declaration."""

import factory

from cohorts.tests.factories import ApplicationDocumentFactory, ApplicationFactory


class CompleteDraftFactory(ApplicationFactory):
    """A draft with every answer the submission requires, and one document."""

    class Meta:
        skip_postgeneration_save = True

    partnership_types = factory.LazyFunction(lambda: ["export"])
    partnership_sought = "Un distributeur de jus de bissap en Belgique"
    motivation = "Trouver des partenaires et apprendre"
    environmental_commitment = "Emballages recyclables"

    @factory.post_generation
    def with_document(self, create, extracted, **kwargs):
        if create and extracted is not False:
            ApplicationDocumentFactory(application=self)
