"""Back office for programmes, cohorts, applications, review and selection,
governance and budget.

An application's status is read-only here: it moves only through `application_transition`, called by
the admin actions, so that every move is dated and attributed. Documents are private files: the admin
never links to the stored file, only to the permission-checked document view (which records each opening).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from core.admin_exports import SafeExportMixin
from core.forms import choice_list_field
from core.storage import upload_name_clean

from .eligibility import profile_rows
from .models import (
    Application,
    ApplicationDocument,
    ApplicationImport,
    ApplicationStatus,
    ApplicationTransition,
    BudgetLine,
    Cohort,
    CommitteeAttendance,
    CommitteeMeeting,
    CommitteeMembership,
    ConflictOfInterest,
    DocumentAccess,
    EligibilityCriterion,
    Expense,
    IncubatorSubProject,
    PartnershipType,
    Programme,
    ProgrammeMembership,
    ProgrammePartner,
    Review,
    ReviewScore,
    RubricCriterion,
    ScreeningJob,
    SelectionDecision,
)
from .resources import ApplicationResource, column_mapping_rows  # the export: the same columns as the staff list
from .services import application_transition
from .services.apply import document_checked
from .services.screening import criterion_value_clean

# --------------------------------------------------------------------------------------------------
# Shared by the admins of this app and of the apps above it
# --------------------------------------------------------------------------------------------------


class PrivateFilesAdminMixin:
    """File fields use a bare file input: the private storage has no public URL, so the admin must
    never render a link to the stored file (the default widget, and the read-only display, would).

    For a reader who may not change the row the file field is left out; show a label instead."""

    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            file_fields = {f.name for f in self.model._meta.fields if isinstance(f, models.FileField)}
            fields = [name for name in fields if name not in file_fields]
        return fields


class AuditedHistoryAdmin(SimpleHistoryAdmin):
    """Shows who changed what and when, without the "revert" button.

    Reverting would save a whole old version of the row, which bypasses the services that own state
    changes (an application's status, a partnership's stage) and would blank fields kept out of the
    history (a passport number).
    """

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyInline(admin.TabularInline):
    """An audit trail shown beside its row: listed, never written from the admin."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def report_service_errors(request, run, rows) -> int:
    """Call `run(row)` for each row; a refused move becomes an error message, never a 500."""
    done = 0
    for row in rows:
        try:
            run(row)
        except ValidationError as error:
            messages.error(request, f"{row} : {' '.join(error.messages)}")
        else:
            done += 1
    return done


def service_action(*, name: str, description, run, select_related: tuple[str, ...], success):
    """An admin action that moves each selected row through a service: `run(row, user)` does one move,
    refused moves become error messages, and `success(count)` is the message for the rows that moved."""

    def action(modeladmin, request, queryset):
        moved = report_service_errors(request, lambda row: run(row, request.user), queryset.select_related(*select_related))
        if moved:
            messages.success(request, success(moved))

    action.__name__ = name
    return admin.action(description=description, permissions=["change"])(action)


class SelectRelatedListFilter(admin.RelatedFieldListFilter):
    """A filter on a foreign key whose choices are listed in one query, even when their labels read
    a further relation (a cohort's label names its programme). `related_only` lists only values in use."""

    select_related: tuple[str, ...] = ()
    related_only = False

    def field_choices(self, field, request, model_admin):
        queryset = field.related_model._default_manager.select_related(*self.select_related)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        if self.related_only:
            used = model_admin.get_queryset(request).values(f"{self.field_path}__pk")
            queryset = queryset.filter(pk__in=used)
        return [(obj.pk, str(obj)) for obj in queryset]


class CohortListFilter(SelectRelatedListFilter):
    select_related = ("programme",)


class CoachListFilter(SelectRelatedListFilter):
    select_related = ("user", "organisation")
    related_only = True


# --------------------------------------------------------------------------------------------------
# Programmes and cohorts
# --------------------------------------------------------------------------------------------------


class CohortInline(TranslationTabularInline):
    model = Cohort
    fields = ("number", "name", "call_opens_at", "call_closes_at", "places", "min_reviews")
    extra = 0
    show_change_link = True


class ProgrammePartnerInline(admin.TabularInline):
    model = ProgrammePartner
    fields = ("organisation", "role", "since")
    autocomplete_fields = ("organisation",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


class ProgrammeMembershipInline(admin.TabularInline):
    model = ProgrammeMembership
    fields = ("user", "role")
    autocomplete_fields = ("user",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class CommitteeMembershipInline(admin.TabularInline):
    model = CommitteeMembership
    fields = ("organisation", "role", "representative", "joined_on", "left_on")
    autocomplete_fields = ("organisation",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


@admin.register(Programme)
class ProgrammeAdmin(TranslationAdmin):
    # The code names the programme in URLs and files; people read its name.
    list_display = ("name", "origin_country", "starts_on", "ends_on", "donor", "implementer", "is_fictitious")
    list_filter = ("is_fictitious", "origin_country")
    search_fields = ("code", "name", "reference", "iati_identifier")
    list_select_related = ("donor", "implementer")
    autocomplete_fields = ("donor", "implementer", "watched_region_group")
    date_hierarchy = "starts_on"
    inlines = [CohortInline, ProgrammePartnerInline, ProgrammeMembershipInline, CommitteeMembershipInline]


@admin.register(ProgrammeMembership)
class ProgrammeMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "programme", "role")
    list_filter = ("role", "programme")
    search_fields = ("user__email", "user__first_name", "user__last_name", "programme__code")
    list_select_related = ("user", "programme")
    autocomplete_fields = ("user", "programme")
    list_per_page = 50


@admin.register(ProgrammePartner)
class ProgrammePartnerAdmin(admin.ModelAdmin):
    list_display = ("organisation", "programme", "role", "since")
    list_filter = ("role", "programme")
    search_fields = ("organisation__name", "organisation__short_name", "programme__code")
    list_select_related = ("organisation", "programme")
    autocomplete_fields = ("organisation", "programme")
    list_per_page = 50


class EligibilityCriterionAdminForm(forms.ModelForm):
    """The value checked against its field as on the staff criteria page (a number, a year, codes)."""

    class Meta:
        model = EligibilityCriterion
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        field, operator, cohort = (
            cleaned.get("field"),
            cleaned.get("operator"),
            cleaned.get("cohort") or getattr(self.instance, "cohort", None),
        )
        if field and operator:
            country = cohort.programme.origin_country if cohort is not None and cohort.programme_id else None
            try:
                cleaned["value"] = criterion_value_clean(
                    field=field, operator=operator, value=cleaned.get("value", ""), country=country
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class EligibilityCriterionInline(TranslationTabularInline):
    model = EligibilityCriterion
    form = EligibilityCriterionAdminForm
    fields = ("order", "field", "operator", "value", "label_fr", "label_en", "is_active")
    extra = 0


class RubricCriterionInline(TranslationTabularInline):
    model = RubricCriterion
    fields = ("order", "code", "label_fr", "label_en", "weight", "max_score", "guidance_fr", "guidance_en")
    extra = 0


@admin.register(Cohort)
class CohortAdmin(TranslationAdmin):
    list_display = ("name", "programme", "number", "call_opens_at", "call_closes_at", "places", "min_reviews")
    list_filter = ("programme",)
    search_fields = ("name", "programme__code", "programme__name")
    list_select_related = ("programme",)
    autocomplete_fields = ("programme",)
    date_hierarchy = "call_opens_at"
    inlines = [EligibilityCriterionInline, RubricCriterionInline]

    def get_queryset(self, request):
        # The same joins as the list, so the changelist keeps them (Django skips list_select_related
        # when the queryset already has some) and autocomplete labels need no extra query.
        return super().get_queryset(request).select_related(*self.list_select_related)


@admin.register(EligibilityCriterion)
class EligibilityCriterionAdmin(TranslationAdmin):
    form = EligibilityCriterionAdminForm
    list_display = ("label", "cohort", "field", "operator", "value", "order", "is_active")
    list_filter = ("is_active", "field", ("cohort", CohortListFilter))
    search_fields = ("label_fr", "label_en", "value")
    list_select_related = ("cohort__programme",)
    autocomplete_fields = ("cohort",)


@admin.register(RubricCriterion)
class RubricCriterionAdmin(TranslationAdmin):
    list_display = ("label", "cohort", "weight", "max_score", "order")
    list_filter = (("cohort", CohortListFilter),)
    search_fields = ("label_fr", "label_en", "code")
    list_select_related = ("cohort__programme",)
    autocomplete_fields = ("cohort",)


# --------------------------------------------------------------------------------------------------
# Applications
# --------------------------------------------------------------------------------------------------


def admin_upload_checked(form: forms.ModelForm, upload, *, describe: bool = True):
    """The one rule of every private document (cohorts.services.apply.upload_checked), for an upload made in
    the admin: a refused file is a form error, nothing is stored; an accepted one is stored as the site would
    store it (pictures re-encoded), and, with `describe`, its name, type, size and fingerprint are read from it."""
    if upload is None or not hasattr(upload, "content_type"):
        return upload  # No new file: the stored one stays.
    content_type, stored, sha256 = document_checked(upload)
    if describe:
        described = {
            "original_name": upload_name_clean(upload.name),
            "content_type": content_type,
            "size": stored.size,
            "sha256": sha256,
        }
        fields = {field.name for field in form.instance._meta.fields}
        for name, value in described.items():
            if name in fields:
                setattr(form.instance, name, value)
    if not getattr(stored, "name", None):
        stored.name = "document"  # a re-encoded picture: the storage gives the random name (upload_to)
    return stored


class CheckedDocumentForm(forms.ModelForm):
    """A private document uploaded in the admin goes through the site's upload rule (content-checked PDF
    without active content, JPEG or PNG re-encoded, at most 10 MB, not empty)."""

    def clean_file(self):
        return admin_upload_checked(self, self.cleaned_data.get("file"))


class ApplicationDocumentForm(CheckedDocumentForm):
    """Upload of a private document: its name, type, size and fingerprint are read from the file."""

    class Meta:
        model = ApplicationDocument
        fields = ("application", "kind", "file")
        widgets = {"file": forms.FileInput}


def document_links(document: ApplicationDocument) -> str:
    """The original name, opening the document in the browser's viewer, and a download link: both through
    the permission-checked view that records the opening (never the storage path)."""
    if document.pk is None:
        return "—"
    url = reverse("cohorts:application_document_download", kwargs={"pk": document.application_id, "document_pk": document.pk})
    return format_html(
        '<a href="{}?view=1" target="_blank" rel="noopener">{}</a> · <a href="{}">{}</a>',
        url,
        document.original_name,
        url,
        _("télécharger"),
    )


class DocumentLinksMixin:
    @admin.display(description=_("document"))
    def open_links(self, obj: ApplicationDocument) -> str:
        return document_links(obj)


class ApplicationDocumentInline(DocumentLinksMixin, PrivateFilesAdminMixin, admin.TabularInline):
    model = ApplicationDocument
    form = ApplicationDocumentForm
    fields = ("kind", "file", "open_links", "content_type", "size", "uploaded_at", "uploaded_by")
    readonly_fields = ("open_links", "content_type", "size", "uploaded_at", "uploaded_by")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


class ApplicationTransitionInline(ReadOnlyInline):
    model = ApplicationTransition
    fields = ("at", "from_status", "to_status", "by", "note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class ReviewInline(admin.TabularInline):
    model = Review
    fields = ("reviewer", "assigned_at", "submitted_at")
    readonly_fields = ("reviewer", "submitted_at")
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        # Added only through the services (review board, reviewer portal), which check roles and
        # conflicts, move the application to review, and e-mail staff about a conflict.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")


class ConflictOfInterestInline(admin.TabularInline):
    model = ConflictOfInterest
    fields = ("reviewer", "reason", "declared_at")
    readonly_fields = ("reviewer",)
    extra = 0

    def has_add_permission(self, request, obj=None):
        # Added only through the services (review board, reviewer portal), which check roles and
        # conflicts, move the application to review, and e-mail staff about a conflict.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")


class SelectionDecisionInline(admin.StackedInline):
    """Shown, not edited, beside the application: a decision must move the application's status in the
    same step, which the selection service does, not an inline form."""

    model = SelectionDecision
    fields = ("outcome", "reason", "decided_at", "decided_by", "notified_at")
    readonly_fields = fields
    extra = 0
    max_num = 1
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _transition_action(to_status: str, description):
    return service_action(
        name=f"mark_{to_status}",
        description=description,
        run=lambda application, user: application_transition(
            application=application, to_status=to_status, by=user, note=str(_("Back-office"))
        ),
        select_related=("entrepreneur", "cohort__programme"),
        success=lambda moved: (
            ngettext(
                "%(count)d candidature passée à « %(status)s ».",
                "%(count)d candidatures passées à « %(status)s ».",
                moved,
            )
            % {"count": moved, "status": ApplicationStatus(to_status).label}
        ),
    )


class ApplicationAdminForm(forms.ModelForm):
    """The partnership types as boxes to tick, stored as the list of their codes; the language by name."""

    partnership_types = choice_list_field(Application, "partnership_types", PartnershipType.choices)
    language = forms.ChoiceField(label=_("langue"), choices=settings.LANGUAGES)

    class Meta:
        model = Application
        fields = "__all__"


@admin.register(Application)
class ApplicationAdmin(SafeExportMixin, AuditedHistoryAdmin):
    form = ApplicationAdminForm
    resource_classes = [ApplicationResource]
    list_display = ("entrepreneur", "company", "cohort", "status", "submitted_at", "is_eligible", "source")
    list_filter = (
        "status",
        "cohort__programme",
        ("cohort", CohortListFilter),
        "source",
        "is_eligible",
        "entrepreneur__gender",
        "entrepreneur__country_of_residence",
        "company__sector",
        "company__region",
    )
    search_fields = (
        "entrepreneur__first_name",
        "entrepreneur__last_name",
        "entrepreneur__email",
        "company__name",
        "company__ninea",
    )
    list_select_related = ("entrepreneur", "company", "cohort__programme")
    autocomplete_fields = ("cohort", "entrepreneur", "company")
    date_hierarchy = "submitted_at"
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = (
        "staff_page",
        "status",
        "status_changed_at",
        "submitted_at",
        "declaration_accepted_at",
        "is_eligible",
        "eligibility_checked_at",
        "failed_criteria_list",
        "profile_table",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("staff_page", "cohort", "entrepreneur", "company", "source", "language")}),
        (
            _("Statut (modifiable seulement par les actions de la liste)"),
            {"fields": ("status", "status_changed_at", "submitted_at", "declaration_accepted_at", "current_step")},
        ),
        (
            _("Projet"),
            {
                "fields": (
                    "motivation",
                    "partnership_types",
                    "partnership_sought",
                    "target_markets",
                    "gender_commitment",
                    "environmental_commitment",
                )
            },
        ),
        (
            _("Éligibilité"),
            {"fields": ("is_eligible", "eligibility_checked_at", "failed_criteria_list", "profile_table")},
        ),
        (_("Dates"), {"fields": ("created_at", "updated_at")}),
    )
    inlines = [
        ApplicationDocumentInline,
        ReviewInline,
        ConflictOfInterestInline,
        ApplicationTransitionInline,
        SelectionDecisionInline,
    ]
    actions = [
        _transition_action(ApplicationStatus.ELIGIBLE, _("Marquer comme éligibles")),
        _transition_action(ApplicationStatus.INELIGIBLE, _("Marquer comme non éligibles")),
        _transition_action(ApplicationStatus.UNDER_REVIEW, _("Passer en évaluation")),
        _transition_action(ApplicationStatus.SHORTLISTED, _("Présélectionner")),
    ]

    @admin.display(description=_("fiche de l'équipe"))
    def staff_page(self, obj: Application) -> str:
        """The programme team's page of the application: answers, documents, reviews, history, decision."""
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("cohorts:application_staff_detail", args=[obj.pk]),
            _("Ouvrir la fiche de la candidature"),
        )

    def get_queryset(self, request):
        # The same joins as the list, so the changelist keeps them (Django skips list_select_related
        # when the queryset already has some) and autocomplete labels need no extra query.
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description=_("critères non remplis"))
    def failed_criteria_list(self, obj: Application):
        """The criteria failed at the last screening, by their label in the reader's language (the stored
        label, in the language of the screening, when the criterion has since been deleted)."""
        failed = [item for item in obj.failed_criteria or [] if isinstance(item, dict)]
        current = EligibilityCriterion.objects.in_bulk([item["id"] for item in failed if item.get("id")])
        labels = [str(current[item["id"]].label) if item.get("id") in current else item.get("label", "") for item in failed]
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((label,) for label in labels))) if labels else "—"

    @admin.display(description=_("profil au dépôt"))
    def profile_table(self, obj: Application):
        """The answers the criteria read at submission, as a table of names and values in words."""
        rows = profile_rows(obj.profile_snapshot or {}, country=obj.cohort.programme.origin_country)
        if not rows:
            return "—"
        return format_html(
            '<table class="profile-snapshot"><tbody>{}</tbody></table>',
            format_html_join("", '<tr><th scope="row">{}</th><td>{}</td></tr>', rows),
        )

    def save_formset(self, request, form, formset, change):
        # Who uploaded a document or assigned a coach is the staff member saving the form.
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, ApplicationDocument) and instance.uploaded_by_id is None:
                instance.uploaded_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(ApplicationImport)
class ApplicationImportAdmin(PrivateFilesAdminMixin, admin.ModelAdmin):
    """Watch the imports of offline collections (and why one failed); they are asked for on the
    staff import page and run by a worker, never typed in here."""

    list_display = (
        "original_name", "status", "row_count", "created_count", "requested_by", "requested_at", "started_at", "finished_at",
    )  # fmt: skip
    list_filter = ("status",)
    search_fields = ("original_name", "sha256", "error")
    list_select_related = ("requested_by",)
    fields = (
        "original_name", "status", "row_count", "created_count", "error", "sha256", "requested_by", "requested_at",
        "started_at", "finished_at", "cohort", "mapping_display",
    )  # fmt: skip
    readonly_fields = ("mapping_display",)
    date_hierarchy = "requested_at"
    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("correspondance des colonnes"))
    def mapping_display(self, obj: ApplicationImport) -> str:
        """Each column of the file and the field it went to (or "ignorée"), never the stored JSON."""
        rows = column_mapping_rows(obj.column_mapping)
        if not rows:
            return _("Colonnes reconnues d'après leur en-tête")
        return format_html_join("", "<div>{} → {}</div>", ((header, label or _("ignorée")) for header, label in rows))


@admin.register(ScreeningJob)
class ScreeningJobAdmin(admin.ModelAdmin):
    """Watch the background re-screenings (and why one failed); asked for on the criteria page, run by a
    worker, never typed in here."""

    list_display = ("cohort", "status", "attempts", "requested_by", "requested_at", "started_at", "heartbeat_at", "finished_at")
    list_filter = ("status",)
    list_select_related = ("cohort__programme", "requested_by")
    fields = (
        "cohort", "status", "attempts", "progress", "error", "result_summary", "requested_by", "requested_at", "enqueued_at",
        "started_at", "heartbeat_at", "finished_at",
    )  # fmt: skip
    readonly_fields = ("result_summary",)
    date_hierarchy = "requested_at"

    @admin.display(description=_("résultat"))
    def result_summary(self, obj: ScreeningJob) -> str:
        """The counts in a sentence, as the criteria page gives them (the stored result is JSON)."""
        result = obj.result or {}
        if not result:
            return "—"
        return _(
            "%(checked)s candidature(s) examinée(s), %(changed)s changement(s) de statut "
            "(éligibles : %(eligible)s, non éligibles : %(ineligible)s)."
        ) % {key: result.get(key, 0) for key in ("checked", "changed", "eligible", "ineligible")}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApplicationTransition)
class ApplicationTransitionAdmin(admin.ModelAdmin):
    """The funnel's audit trail: read-only, written only by `application_transition`."""

    # The changelist's order: latest moves first, read from the transition_list_order index.
    ordering = ("-at", "-pk")

    list_display = ("application", "from_status", "to_status", "at", "by", "note")
    list_filter = ("to_status", "from_status", ("application__cohort", CohortListFilter))
    search_fields = ("application__entrepreneur__last_name", "application__entrepreneur__email", "note")
    list_select_related = ("application__entrepreneur", "application__cohort__programme", "by")
    date_hierarchy = "at"
    list_per_page = 100
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(DocumentLinksMixin, PrivateFilesAdminMixin, admin.ModelAdmin):
    # The changelist's order: latest uploads first, read from the applicationdocument_list_order index.
    ordering = ("-uploaded_at", "-pk")
    form = ApplicationDocumentForm
    list_display = ("original_name", "kind", "application", "content_type", "size", "uploaded_at", "uploaded_by")
    list_filter = ("kind", "content_type", ("application__cohort", CohortListFilter))
    search_fields = ("original_name", "application__entrepreneur__last_name", "application__entrepreneur__email")
    list_select_related = ("application__entrepreneur", "application__cohort__programme", "uploaded_by")
    autocomplete_fields = ("application",)
    readonly_fields = ("open_links", "content_type", "size", "sha256", "uploaded_at", "uploaded_by")
    fields = ("application", "kind", "file", "open_links", "content_type", "size", "sha256", "uploaded_at", "uploaded_by")
    date_hierarchy = "uploaded_at"
    list_per_page = 50
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        if obj.uploaded_by_id is None:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


# --------------------------------------------------------------------------------------------------
# Review and selection
# --------------------------------------------------------------------------------------------------


class ReviewScoreInline(admin.TabularInline):
    model = ReviewScore
    fields = ("criterion", "score", "comment")
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        request._pem_review = obj  # The criteria offered are those of the review's cohort.
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        review = getattr(request, "_pem_review", None)
        if db_field.name == "criterion" and review is not None:
            kwargs["queryset"] = RubricCriterion.objects.filter(cohort_id=review.application.cohort_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    # The changelist's order: latest assigned first, read from the review_list_order index.
    ordering = ("-assigned_at", "-pk")
    list_display = ("application", "reviewer", "assigned_at", "submitted_at")
    list_filter = (("application__cohort", CohortListFilter), ("submitted_at", admin.EmptyFieldListFilter))
    search_fields = (
        "reviewer__email",
        "reviewer__last_name",
        "application__entrepreneur__last_name",
        "application__entrepreneur__email",
    )
    list_select_related = ("application__entrepreneur", "application__cohort__programme", "reviewer")
    autocomplete_fields = ("application", "reviewer", "assigned_by")
    date_hierarchy = "assigned_at"
    list_per_page = 50
    show_full_result_count = False
    inlines = [ReviewScoreInline]

    def has_add_permission(self, request, obj=None):
        # Added only through the services (review board, reviewer portal), which check roles and
        # conflicts, move the application to review, and e-mail staff about a conflict.
        return False

    def get_queryset(self, request):
        # The same joins as the list, so the changelist keeps them (Django skips list_select_related
        # when the queryset already has some) and autocomplete labels need no extra query.
        return super().get_queryset(request).select_related(*self.list_select_related)


@admin.register(ReviewScore)
class ReviewScoreAdmin(admin.ModelAdmin):
    list_display = ("review", "criterion", "score")
    list_filter = (("review__application__cohort", CohortListFilter),)
    search_fields = ("criterion__label", "review__reviewer__email", "review__application__entrepreneur__last_name")
    list_select_related = (
        "review__reviewer",
        "review__application__entrepreneur",
        "review__application__cohort__programme",
        "criterion",
    )
    autocomplete_fields = ("review", "criterion")
    list_per_page = 100
    show_full_result_count = False


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ("application", "reviewer", "declared_at")
    list_filter = (("application__cohort", CohortListFilter),)
    search_fields = ("reviewer__email", "reviewer__last_name", "application__entrepreneur__last_name")
    list_select_related = ("application__entrepreneur", "application__cohort__programme", "reviewer")
    autocomplete_fields = ("application", "reviewer")
    date_hierarchy = "declared_at"

    def has_add_permission(self, request, obj=None):
        # Added only through the services (review board, reviewer portal), which check roles and
        # conflicts, move the application to review, and e-mail staff about a conflict.
        return False


@admin.register(SelectionDecision)
class SelectionDecisionAdmin(TranslationAdmin, AuditedHistoryAdmin):
    list_display = ("application", "outcome", "decided_at", "decided_by", "notified_at")
    list_filter = ("outcome", ("application__cohort", CohortListFilter), ("notified_at", admin.EmptyFieldListFilter))
    search_fields = ("application__entrepreneur__last_name", "application__entrepreneur__email", "reason_fr", "reason_en")
    list_select_related = ("application__entrepreneur", "application__cohort__programme", "decided_by")
    autocomplete_fields = ("application", "decided_by")
    date_hierarchy = "decided_at"
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = ("decided_at", "decided_by", "notified_at")

    class DecisionForm(forms.ModelForm):
        """Refuses, as a form error, a decision the application's status does not allow."""

        class Meta:
            model = SelectionDecision
            fields = ("application", "outcome", "reason_fr", "reason_en", "override_reason")

        def clean(self):
            from .models import APPLICATION_TRANSITIONS
            from .services.selection import OUTCOME_STATUS, reviews_missing

            cleaned = super().clean()
            application, outcome = cleaned.get("application"), cleaned.get("outcome")
            unchanged = self.instance.pk and not {"application", "outcome"} & set(self.changed_data)
            if application and outcome and not unchanged:
                target = OUTCOME_STATUS[outcome]
                if target not in APPLICATION_TRANSITIONS.get(application.status, set()):
                    raise ValidationError(
                        _("Une candidature ne peut pas passer de « %(from)s » à « %(to)s ».")
                        % {"from": application.get_status_display(), "to": ApplicationStatus(target).label}
                    )
                missing = reviews_missing(application)
                if missing and not (cleaned.get("override_reason") or "").strip():
                    self.add_error(
                        "override_reason",
                        ngettext(
                            "Il manque %(count)s évaluation requise : indiquez pourquoi vous décidez quand même.",
                            "Il manque %(count)s évaluations requises : indiquez pourquoi vous décidez quand même.",
                            missing,
                        )
                        % {"count": missing},
                    )
            return cleaned

    form = DecisionForm

    def save_model(self, request, obj, form, change):
        """A new or changed outcome goes through `selection_decide`, which moves the status too; a
        corrected reason alone is saved as is."""
        from .services.selection import selection_decide

        if change and not {"application", "outcome"} & set(form.changed_data):
            super().save_model(request, obj, form, change)
            return
        decision = selection_decide(
            application=obj.application,
            outcome=obj.outcome,
            reason={"fr": obj.reason_fr or "", "en": obj.reason_en or ""},
            by=request.user,
            override_reason=obj.override_reason,
        )
        obj.pk, obj.decided_at, obj.decided_by, obj.notified_at = (
            decision.pk,
            decision.decided_at,
            decision.decided_by,
            decision.notified_at,
        )


# --------------------------------------------------------------------------------------------------
# Governance and budget
# --------------------------------------------------------------------------------------------------


@admin.register(CommitteeMembership)
class CommitteeMembershipAdmin(admin.ModelAdmin):
    list_display = ("organisation", "programme", "role", "representative", "joined_on", "left_on")
    list_filter = ("role", "programme")
    search_fields = ("organisation__name", "organisation__short_name", "representative")
    list_select_related = ("organisation", "programme")
    autocomplete_fields = ("programme", "organisation")


class CommitteeAttendanceInline(admin.TabularInline):
    model = CommitteeAttendance
    fields = ("membership", "present")
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        request._pem_meeting = obj  # Only members of the meeting's programme can attend.
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "membership":
            queryset = CommitteeMembership.objects.select_related("organisation")
            meeting = getattr(request, "_pem_meeting", None)
            if meeting is not None:
                queryset = queryset.filter(programme_id=meeting.programme_id)
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CommitteeMeeting)
class CommitteeMeetingAdmin(admin.ModelAdmin):
    list_display = ("__str__", "programme", "held_on", "location")
    list_filter = ("programme",)
    search_fields = ("location", "agenda", "minutes")
    list_select_related = ("programme",)
    autocomplete_fields = ("programme",)
    date_hierarchy = "held_on"
    inlines = [CommitteeAttendanceInline]


@admin.register(CommitteeAttendance)
class CommitteeAttendanceAdmin(admin.ModelAdmin):
    list_display = ("meeting", "membership", "present")
    list_filter = ("present", "meeting__programme")
    search_fields = ("membership__organisation__name",)
    list_select_related = ("meeting", "membership__organisation")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "membership":
            kwargs["queryset"] = CommitteeMembership.objects.select_related("organisation")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(IncubatorSubProject)
class IncubatorSubProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "programme", "lead", "sector", "status", "starts_on", "ends_on", "budget_eur")
    list_filter = ("status", "sector", "programme")
    search_fields = ("title", "lead__name", "description")
    list_select_related = ("programme", "lead")
    autocomplete_fields = ("programme", "lead", "partner_organisations", "supported_companies")
    date_hierarchy = "starts_on"


class ExpenseInline(admin.TabularInline):
    model = Expense
    fields = ("spent_on", "description", "amount", "currency", "amount_eur", "cohort")
    readonly_fields = ("amount_eur",)
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "cohort":
            kwargs["queryset"] = Cohort.objects.select_related("programme")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ("label", "programme", "year", "category", "amount", "currency", "amount_in_eur")
    list_filter = ("programme", "year", "category", "currency")
    search_fields = ("label",)
    list_select_related = ("programme",)
    autocomplete_fields = ("programme",)
    inlines = [ExpenseInline]

    @admin.display(description=_("montant prévu (EUR)"))
    def amount_in_eur(self, obj: BudgetLine):
        return obj.amount_eur


@admin.register(Expense)
class ExpenseAdmin(admin.ModelAdmin):
    list_display = ("spent_on", "description", "budget_line", "amount", "currency", "amount_eur", "cohort")
    list_filter = ("currency", "budget_line__programme", "budget_line__category", ("cohort", CohortListFilter))
    search_fields = ("description", "budget_line__label")
    list_select_related = ("budget_line", "cohort__programme")
    autocomplete_fields = ("budget_line", "cohort")
    readonly_fields = ("amount_eur",)
    date_hierarchy = "spent_on"
    list_per_page = 50
    show_full_result_count = False


@admin.register(DocumentAccess)
class DocumentAccessAdmin(admin.ModelAdmin):
    """The record of who opened which document: read only."""

    list_display = ("at", "user", "document", "inline")
    list_select_related = ("user", "document")
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
