"""Back office for organisations, their contacts, applicant companies, entrepreneurs, coaches, and the
regions (and watched region groups) of the programmes' countries."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from core.admin_exports import SafeExportMixin
from core.exports import ReadableModelResource
from core.forms import choice_list_field

from .models import (
    Coach,
    Company,
    CompanyImport,
    CompanyLanguage,
    Entrepreneur,
    Organisation,
    OrganisationContact,
    Region,
    RegionGroup,
)
from .validators import enterprise_number_normalise

# Exports in words: columns named as on the form, choices by label, countries and regions by name (never an
# ISO code or an internal slug), yes/no for a box.


class OrganisationResource(ReadableModelResource):
    class Meta:
        model = Organisation
        fields = (
            "id",
            "name",
            "short_name",
            "kind",
            "country",
            "belgian_region",
            "region",
            "city",
            "sector",
            "relay_agency",
            "enterprise_number",
            "website",
            "email",
            "is_fictitious",
            "created_at",
        )


class CompanyResource(ReadableModelResource):
    class Meta:
        model = Company
        fields = (
            "id",
            "name",
            "legal_form",
            "ninea",
            "rccm",
            "is_formal",
            "sector",
            "region",
            "city",
            "country",
            "year_founded",
            "turnover_band",
            "employees",
            "has_export_experience",
            "incubator",
            "is_fictitious",
            "created_at",
        )


class EntrepreneurResource(ReadableModelResource):
    class Meta:
        model = Entrepreneur
        fields = (
            "id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "gender",
            "age_band",
            "education",
            "country_of_residence",
            "company",
            "is_fictitious",
            "created_at",
        )


class OrganisationContactInline(admin.TabularInline):
    model = OrganisationContact
    extra = 0
    fields = ("full_name", "position", "email", "phone", "language", "is_fictitious")


class OrganisationAdminForm(forms.ModelForm):
    languages = choice_list_field(Organisation, "languages", CompanyLanguage.choices)

    class Meta:
        model = Organisation
        fields = "__all__"

    def clean_enterprise_number(self) -> str:
        return enterprise_number_normalise(self.cleaned_data.get("enterprise_number"))


@admin.register(Organisation)
class OrganisationAdmin(SafeExportMixin, admin.ModelAdmin):
    # The changelist's order: by name then id, read from the organisation_list_order index.
    ordering = ("name", "pk")
    form = OrganisationAdminForm
    resource_classes = [OrganisationResource]
    list_display = ("name", "short_name", "kind", "country", "city", "sector", "relay_agency", "is_fictitious")
    list_filter = ("kind", "country", "belgian_region", "sector", "is_fictitious")
    search_fields = ("name", "short_name", "city", "email", "enterprise_number")
    list_select_related = ("relay_agency", "region")
    autocomplete_fields = ("relay_agency", "region")
    readonly_fields = ("created_at",)
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False
    inlines = [OrganisationContactInline]


@admin.register(OrganisationContact)
class OrganisationContactAdmin(admin.ModelAdmin):
    # The changelist's order: latest first, by primary key (the model's order joins its organisation).
    ordering = ("-pk",)
    list_display = ("full_name", "organisation", "position", "email", "language", "is_fictitious")
    list_filter = ("language", "organisation__kind", "is_fictitious")
    search_fields = ("full_name", "email", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        # The same joins as the list, so the changelist keeps them (Django skips list_select_related
        # when the queryset already has some) and autocomplete labels need no extra query.
        return super().get_queryset(request).select_related(*self.list_select_related)


class FounderInline(admin.TabularInline):
    model = Entrepreneur
    fields = ("first_name", "last_name", "email", "gender", "country_of_residence")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("fondateur·rices")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Company)
class CompanyAdmin(SafeExportMixin, admin.ModelAdmin):
    # The changelist's order: by name then id, read from the company_list_order index.
    ordering = ("name", "pk")
    resource_classes = [CompanyResource]
    list_display = (
        "name",
        "legal_form",
        "sector",
        "region",
        "country",
        "year_founded",
        "turnover_band",
        "employees",
        "is_formal",
        "incubator",
    )
    list_filter = (
        "sector",
        "country",
        "region",
        "legal_form",
        "turnover_band",
        "is_formal",
        "has_export_experience",
        "is_fictitious",
    )
    search_fields = ("name", "ninea", "rccm", "city")
    list_select_related = ("incubator", "region")
    autocomplete_fields = ("incubator", "region")
    readonly_fields = ("created_at",)
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False
    inlines = [FounderInline]


@admin.register(Entrepreneur)
class EntrepreneurAdmin(SafeExportMixin, admin.ModelAdmin):
    # The changelist's order: by name then id, read from the entrepreneur_list_order index.
    ordering = ("last_name", "first_name", "pk")
    resource_classes = [EntrepreneurResource]
    list_display = ("last_name", "first_name", "email", "gender", "age_band", "country_of_residence", "company", "user")
    list_display_links = ("last_name", "first_name")
    list_filter = ("gender", "age_band", "education", "country_of_residence", "is_fictitious")
    search_fields = ("first_name", "last_name", "email", "company__name")
    list_select_related = ("company", "user")
    autocomplete_fields = ("user", "company")
    readonly_fields = ("created_at",)
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False


@admin.register(Coach)
class CoachAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "specialties", "is_active")
    list_filter = ("is_active", ("organisation", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__email", "user__first_name", "user__last_name", "organisation__name", "specialties")
    list_select_related = ("user", "organisation")
    autocomplete_fields = ("user", "organisation")
    list_per_page = 50

    def get_queryset(self, request):
        # The same joins as the list, so the changelist keeps them (Django skips list_select_related
        # when the queryset already has some) and autocomplete labels need no extra query.
        return super().get_queryset(request).select_related(*self.list_select_related)


@admin.register(Region)
class RegionAdmin(TranslationAdmin):
    list_display = ("name", "country", "order")
    list_filter = ("country",)
    search_fields = ("name_fr", "name_en", "code")
    list_per_page = 50


@admin.register(RegionGroup)
class RegionGroupAdmin(TranslationAdmin):
    list_display = ("name", "country")
    list_filter = ("country",)
    search_fields = ("name_fr", "name_en")
    filter_horizontal = ("regions",)


@admin.register(CompanyImport)
class CompanyImportAdmin(admin.ModelAdmin):
    """Watch the imports of Belgian companies (and why one failed); they are asked for on the directory's
    import page and run by a worker, never typed in here. The file itself is not offered here."""

    list_display = ("original_name", "status", "row_count", "created_count", "contact_count", "requested_by", "requested_at")
    list_filter = ("status",)
    search_fields = ("original_name", "sha256", "error")
    list_select_related = ("requested_by",)
    fields = (
        "original_name", "status", "row_count", "created_count", "contact_count", "error", "sha256", "requested_by",
        "requested_at", "started_at", "finished_at",
    )  # fmt: skip
    date_hierarchy = "requested_at"
    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
