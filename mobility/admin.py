"""Back office for mobility plans, visa files, trips, invitations, B2B meetings, partnerships and the
follow-up after the trip.

The passport number never appears in a list, a search or an export; the change form shows it masked and
lets staff who may change visa files type a new one. A partnership's stage is read-only: it moves only
through `partnership_stage_change`, called by the admin actions.
"""

from django import forms
from django.contrib import admin
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from accounts.admin import LanguageListFilter
from cohorts.admin import (
    AuditedHistoryAdmin,
    CheckedDocumentForm,
    CohortListFilter,
    PrivateFilesAdminMixin,
    ReadOnlyInline,
    admin_upload_checked,
    service_action,
)
from core.forms import choice_list_field
from core.meeting_time import meeting_time
from partners.models import OrganisationContact, Sector

from .models import (
    Anonymisation,
    B2BMeeting,
    CheckInPartnershipAnswer,
    EconomicMission,
    FollowUpCheckIn,
    Invitation,
    InvitationLetter,
    InvitationSlot,
    MobilityPlan,
    PartnerCheckIn,
    Partnership,
    PartnershipDocument,
    PartnershipStage,
    PartnershipStageChange,
    PartnershipTransaction,
    PersonalDataExport,
    RetentionRun,
    StageProposal,
    SupportNeed,
    TargetPartner,
    Trip,
    TripCost,
    VisaDocument,
    VisaFile,
    VisaRequirement,
    VisaStatusChange,
    passport_number_masked,
)
from .services import partnership_create, partnership_stage_change

#: Lists whose rows are labelled by the application's entrepreneur and cohort.
APPLICATION_LABEL = ("application__entrepreneur", "application__cohort__programme")


#: One mask for the admin, the pages and the exports (mobility.models.passport_number_masked).
mask_passport_number = passport_number_masked


def stored_file_label(field_file) -> str:
    # Stored names are random and no URL serves them: say whether a file is there, nothing more.
    return str(_("Fichier déposé")) if field_file else "—"


# --------------------------------------------------------------------------------------------------
# Mobility plan
# --------------------------------------------------------------------------------------------------


class TargetPartnerInline(admin.TabularInline):
    model = TargetPartner
    fields = ("priority", "organisation", "name", "reason")
    autocomplete_fields = ("organisation",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


class MobilityPlanForm(forms.ModelForm):
    """The sectors as ticked boxes with their labels, never the stored list."""

    sectors = choice_list_field(MobilityPlan, "sectors", Sector.choices)

    class Meta:
        model = MobilityPlan
        fields = "__all__"


@admin.register(MobilityPlan)
class MobilityPlanAdmin(admin.ModelAdmin):
    form = MobilityPlanForm
    list_display = ("application", "status", "submitted_at", "validated_at", "validated_by")
    list_filter = ("status", ("application__cohort", CohortListFilter))
    search_fields = ("application__entrepreneur__last_name", "application__entrepreneur__email", "objectives")
    list_select_related = (*APPLICATION_LABEL, "validated_by")
    autocomplete_fields = ("application", "validated_by")
    readonly_fields = ("updated_at",)
    list_per_page = 50
    show_full_result_count = False
    inlines = [TargetPartnerInline]


@admin.register(TargetPartner)
class TargetPartnerAdmin(admin.ModelAdmin):
    list_display = ("__str__", "plan", "priority")
    search_fields = ("name", "organisation__name", "plan__application__entrepreneur__last_name")
    list_select_related = ("organisation", "plan__application__entrepreneur", "plan__application__cohort__programme")
    autocomplete_fields = ("plan", "organisation")
    list_per_page = 50
    show_full_result_count = False


# --------------------------------------------------------------------------------------------------
# Visa
# --------------------------------------------------------------------------------------------------


class VisaFileForm(forms.ModelForm):
    """The passport number is never sent back to the browser: the field starts empty, shows the
    masked number as a hint, and an empty field keeps the number on record."""

    passport_number = forms.CharField(
        label=_("nouveau numéro de passeport"),
        required=False,
        max_length=40,
        # Never echoed back: a form re-shown with an error elsewhere does not print the typed number.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Laissez vide pour conserver le numéro enregistré."),
    )

    class Meta:
        model = VisaFile
        fields = "__all__"
        widgets = {"passport_scan": forms.FileInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "passport_scan" in self.fields:
            self.fields["passport_scan"].label = _("déposer un nouveau scan")
        if "passport_number" in self.fields:
            self.initial["passport_number"] = ""
            if self.instance.passport_number:
                self.fields["passport_number"].widget.attrs["placeholder"] = mask_passport_number(self.instance.passport_number)

    def clean_passport_scan(self):
        """A passport scan is a private document like any other: the site's upload rule applies."""
        return admin_upload_checked(self, self.cleaned_data.get("passport_scan"), describe=False)

    def clean_passport_number(self) -> str:
        typed = self.cleaned_data.get("passport_number", "").strip().upper()
        return typed or (self.instance.passport_number or "")


class VisaDocumentForm(CheckedDocumentForm):
    class Meta:
        model = VisaDocument
        fields = ("visa_file", "kind", "is_received", "received_on", "file", "note")
        widgets = {"file": forms.FileInput}


class VisaDocumentInline(PrivateFilesAdminMixin, admin.TabularInline):
    model = VisaDocument
    form = VisaDocumentForm
    fields = (
        "kind",
        "is_received",
        "received_on",
        "file",
        "file_on_record",
        "note",
        "original_name",
        "uploaded_by",
        "uploaded_at",
    )
    readonly_fields = ("file_on_record", "original_name", "uploaded_by", "uploaded_at")
    extra = 0

    @admin.display(description=_("fichier enregistré"))
    def file_on_record(self, obj: VisaDocument) -> str:
        return stored_file_label(obj.file)


@admin.register(VisaFile)
class VisaFileAdmin(PrivateFilesAdminMixin, AuditedHistoryAdmin):
    form = VisaFileForm
    # Never the passport number here, nor in search_fields: it is encrypted and personal.
    list_display = (
        "application",
        "status",
        "consulate",
        "agency",
        "submitted_on",
        "appointment_on",
        "decision_on",
        "refusal_reason",
    )
    list_filter = (
        "status",
        "refusal_reason",
        ("application__cohort", CohortListFilter),
        ("consulate", admin.RelatedOnlyFieldListFilter),
        ("agency", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = (
        "application__entrepreneur__first_name",
        "application__entrepreneur__last_name",
        "application__entrepreneur__email",
    )
    list_select_related = (*APPLICATION_LABEL, "agency", "consulate")
    autocomplete_fields = ("application", "agency", "consulate")
    date_hierarchy = "submitted_on"
    list_per_page = 50
    show_full_result_count = False
    inlines = [VisaDocumentInline]

    def get_fieldsets(self, request, obj=None):
        passport = ["passport_number_masked", "passport_expires_on", "passport_scan_on_record"]
        if self.has_change_permission(request, obj):
            passport[1:1] = ["passport_number"]
            passport.append("passport_scan")
        return (
            (None, {"fields": ("application", "consulate", "agency", "status", "timeline")}),
            (_("Passeport"), {"fields": passport}),
            (
                _("Dépôt et décision"),
                {
                    "fields": (
                        "submitted_on",
                        "appointment_on",
                        "decision_on",
                        "refusal_reason",
                        "refusal_details",
                        "appeal_on",
                    )
                },
            ),
            (_("Visa accordé"), {"fields": ("valid_from", "valid_until")}),
        )

    def get_readonly_fields(self, request, obj=None):
        return ("passport_number_masked", "passport_scan_on_record", "timeline")

    @admin.display(description=_("étapes"))
    def timeline(self, obj: VisaFile) -> str:
        """The steps recorded by visa_status_change (read here, written only by the service)."""
        if not obj or not obj.pk:
            return "—"
        return " · ".join(str(change) for change in obj.status_changes.order_by("changed_on", "pk")) or "—"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if self.has_change_permission(request, obj):
            return form
        # A viewer's form does not even carry the field (a declared field outlives `fields`).
        view_form = type("VisaFileViewForm", (form,), {})
        view_form.base_fields.pop("passport_number", None)
        return view_form

    @admin.display(description=_("numéro de passeport"))
    def passport_number_masked(self, obj: VisaFile) -> str:
        return mask_passport_number(obj.passport_number) if obj and obj.pk else "—"

    @admin.display(description=_("scan du passeport"))
    def passport_scan_on_record(self, obj: VisaFile) -> str:
        return stored_file_label(obj.passport_scan) if obj and obj.pk else "—"


@admin.register(VisaDocument)
class VisaDocumentAdmin(PrivateFilesAdminMixin, admin.ModelAdmin):
    # The changelist's order: latest first, by primary key (the model's order joins its visa file).
    ordering = ("-pk",)
    form = VisaDocumentForm
    list_display = ("kind", "visa_file", "is_received", "received_on", "file_on_record")
    list_filter = ("kind", "is_received")
    search_fields = ("visa_file__application__entrepreneur__last_name", "note")
    list_select_related = ("visa_file__application__entrepreneur",)
    autocomplete_fields = ("visa_file",)
    fields = (
        "visa_file",
        "kind",
        "is_received",
        "received_on",
        "file",
        "file_on_record",
        "note",
        "original_name",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    )
    readonly_fields = ("file_on_record", "original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    list_per_page = 50
    show_full_result_count = False

    @admin.display(description=_("fichier enregistré"))
    def file_on_record(self, obj: VisaDocument) -> str:
        return stored_file_label(obj.file)


@admin.register(VisaRequirement)
class VisaRequirementAdmin(admin.ModelAdmin):
    """The visa checklist of each programme, per consulate or for all of them."""

    list_display = ("kind", "programme", "consulate", "is_required", "position")
    list_filter = ("programme", ("consulate", admin.RelatedOnlyFieldListFilter), "is_required")
    list_select_related = ("programme", "consulate")
    autocomplete_fields = ("consulate",)
    list_editable = ("is_required", "position")
    list_per_page = 50


# --------------------------------------------------------------------------------------------------
# Trips, invitations and B2B meetings
# --------------------------------------------------------------------------------------------------


class TripInline(admin.TabularInline):
    model = Trip
    fields = ("application", "departs_on", "returns_on", "cities", "status")
    autocomplete_fields = ("application",)
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*APPLICATION_LABEL)


@admin.register(EconomicMission)
class EconomicMissionAdmin(TranslationAdmin):
    """Missions and their title in French and English side by side (core.bilingual shows the reader's)."""

    list_display = ("title", "programme", "starts_on", "ends_on", "cities")
    list_filter = ("programme",)
    search_fields = ("title", "cities")
    list_select_related = ("programme",)
    autocomplete_fields = ("programme",)
    date_hierarchy = "starts_on"
    inlines = [TripInline]


class InvitationLanguageMixin:
    """The invitation's language chosen by name among a contact's languages, never typed as a code."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "language":
            choices = OrganisationContact._meta.get_field("language").choices
            return forms.ChoiceField(label=db_field.verbose_name, choices=choices, initial=db_field.default)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class InvitationInline(InvitationLanguageMixin, admin.TabularInline):
    model = Invitation
    fields = ("organisation", "contact", "email", "language", "proposed_at", "status", "sent_at", "answered_at")
    autocomplete_fields = ("organisation", "contact")
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "contact__organisation")


class MeetingTimeColumns:
    """Meeting times with their zone: Brussels, and Dakar beside it (core.meeting_time)."""

    @admin.display(description=_("date et heure (Bruxelles, Dakar)"), ordering="starts_at")
    def starts_at_both_zones(self, obj) -> str:
        return meeting_time(obj.starts_at) if obj and obj.starts_at else "—"

    @admin.display(description=_("créneau proposé (Bruxelles, Dakar)"), ordering="proposed_at")
    def proposed_at_both_zones(self, obj) -> str:
        return meeting_time(obj.proposed_at) if obj and obj.proposed_at else "—"


class B2BMeetingInline(MeetingTimeColumns, admin.TabularInline):
    model = B2BMeeting
    fields = ("starts_at", "starts_at_both_zones", "organisation", "invitation", "city", "outcome")
    readonly_fields = ("starts_at_both_zones",)
    autocomplete_fields = ("organisation", "invitation")
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organisation", "invitation__organisation", "invitation__trip__application__entrepreneur")
        )


class TripCostInline(admin.TabularInline):
    model = TripCost
    fields = ("category", "amount", "currency", "amount_eur", "date", "note")
    readonly_fields = ("amount_eur",)
    extra = 0


@admin.register(Trip)
class TripAdmin(admin.ModelAdmin):
    list_display = ("__str__", "application", "mission", "departs_on", "returns_on", "cities", "status")
    list_filter = ("status", ("application__cohort", CohortListFilter), "mission")
    search_fields = ("application__entrepreneur__last_name", "application__entrepreneur__email", "cities")
    list_select_related = (*APPLICATION_LABEL, "mission")
    autocomplete_fields = ("application", "mission")
    date_hierarchy = "departs_on"
    list_per_page = 50
    show_full_result_count = False
    inlines = [InvitationInline, B2BMeetingInline, TripCostInline]

    def get_queryset(self, request):
        # The same joins as the list, so the changelist keeps them (Django skips list_select_related
        # when the queryset already has some) and autocomplete labels need no extra query.
        return super().get_queryset(request).select_related(*self.list_select_related)


@admin.register(TripCost)
class TripCostAdmin(admin.ModelAdmin):
    # The changelist's order: latest first, by primary key (the model's order joins its trip).
    ordering = ("-pk",)
    list_display = ("trip", "category", "amount", "currency", "amount_eur", "date", "note")
    list_filter = ("category", "currency", ("trip__application__cohort", CohortListFilter))
    search_fields = ("trip__application__entrepreneur__last_name", "note")
    list_select_related = ("trip__application__entrepreneur",)
    autocomplete_fields = ("trip",)
    readonly_fields = ("amount_eur",)
    date_hierarchy = "date"
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        # The same joins as the list, so the changelist keeps them (Django skips list_select_related
        # when the queryset already has some) and autocomplete labels need no extra query.
        return super().get_queryset(request).select_related(*self.list_select_related)


class InvitationSlotInline(admin.TabularInline):
    model = InvitationSlot
    fields = ("starts_at", "ends_at", "time_zone")
    extra = 0


@admin.register(Invitation)
class InvitationAdmin(InvitationLanguageMixin, MeetingTimeColumns, admin.ModelAdmin):
    list_display = ("__str__", "organisation", "email", "status", "sent_at", "answered_at", "proposed_at_both_zones")
    list_filter = ("status", LanguageListFilter, ("trip__application__cohort", CohortListFilter))
    search_fields = ("organisation__name", "email", "contact__full_name", "trip__application__entrepreneur__last_name")
    list_select_related = ("trip__application__entrepreneur", "organisation", "contact__organisation")
    autocomplete_fields = ("trip", "organisation", "contact")
    readonly_fields = (
        "sent_at",
        "answered_at",
        "chosen_slot",
        "referred_from",
        "reminders_sent",
        "last_reminded_at",
        "created_by",
    )
    inlines = [InvitationSlotInline]
    date_hierarchy = "sent_at"
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        # The same joins as the list, so the changelist keeps them (Django skips list_select_related
        # when the queryset already has some) and autocomplete labels need no extra query.
        return super().get_queryset(request).select_related(*self.list_select_related)


@admin.register(InvitationSlot)
class InvitationSlotAdmin(admin.ModelAdmin):
    # The changelist's order: latest first, by primary key (the model's order joins its invitation).
    ordering = ("-pk",)
    list_display = ("__str__", "invitation", "ends_at", "time_zone")
    search_fields = ("invitation__organisation__name", "invitation__email")
    list_select_related = ("invitation__trip__application__entrepreneur", "invitation__organisation")
    autocomplete_fields = ("invitation",)
    date_hierarchy = "starts_at"
    list_per_page = 50
    show_full_result_count = False


@admin.register(B2BMeeting)
class B2BMeetingAdmin(MeetingTimeColumns, admin.ModelAdmin):
    # The changelist's order: latest first, read backwards from the meeting_date_order index.
    ordering = ("-starts_at", "-pk")
    list_display = ("organisation", "trip", "starts_at_both_zones", "city", "outcome")
    readonly_fields = ("starts_at_both_zones",)
    list_filter = ("outcome", ("trip__application__cohort", CohortListFilter), "city")
    search_fields = ("organisation__name", "trip__application__entrepreneur__last_name", "notes")
    list_select_related = ("trip__application__entrepreneur", "organisation")
    autocomplete_fields = ("trip", "organisation", "invitation")
    date_hierarchy = "starts_at"
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        # The same joins as the list, so the changelist keeps them (Django skips list_select_related
        # when the queryset already has some) and autocomplete labels need no extra query.
        return super().get_queryset(request).select_related(*self.list_select_related)


# --------------------------------------------------------------------------------------------------
# Partnerships and follow-up
# --------------------------------------------------------------------------------------------------


class PartnershipStageChangeInline(ReadOnlyInline):
    model = PartnershipStageChange
    fields = ("changed_on", "from_stage", "to_stage", "by", "note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class PartnershipTransactionInline(admin.TabularInline):
    model = PartnershipTransaction
    fields = ("occurred_on", "kind", "value", "currency", "value_eur", "description")
    readonly_fields = ("value_eur",)
    extra = 0


def _stage_action(to_stage: str):
    # Lazy, so that the menu follows the language of each request rather than the one at import.
    description = lazy(
        lambda: gettext("Passer à l'étape « %(stage)s » (aujourd'hui)") % {"stage": PartnershipStage(to_stage).label}, str
    )()
    return service_action(
        name=f"move_to_{to_stage}",
        description=description,
        # No canned reason: a move back, or to dormant or ended, needs a real one, given on the
        # partnership's page (the service refuses it here with its message).
        run=lambda partnership, user: partnership_stage_change(partnership=partnership, to_stage=to_stage, by=user),
        select_related=("application__entrepreneur", "organisation"),
        success=lambda moved: (
            ngettext(
                "%(count)d partenariat passé à l'étape « %(stage)s ».",
                "%(count)d partenariats passés à l'étape « %(stage)s ».",
                moved,
            )
            % {"count": moved, "stage": PartnershipStage(to_stage).label}
        ),
    )


@admin.register(Partnership)
class PartnershipAdmin(AuditedHistoryAdmin):
    list_display = ("__str__", "organisation", "type", "stage", "stage_changed_on", "started_on")
    list_filter = ("stage", "type", ("application__cohort", CohortListFilter))
    search_fields = ("organisation__name", "application__entrepreneur__last_name", "application__company__name", "description")
    list_select_related = ("application__entrepreneur", "organisation")
    autocomplete_fields = ("application", "organisation", "meeting")
    readonly_fields = ("stage", "stage_changed_on")
    fields = ("application", "organisation", "type", "started_on", "stage", "stage_changed_on", "meeting", "description")
    date_hierarchy = "stage_changed_on"
    list_per_page = 50
    show_full_result_count = False
    inlines = [PartnershipStageChangeInline, PartnershipTransactionInline]
    # Forward moves only: the ones that need a reason are made on the partnership page, which asks for it.
    actions = [
        _stage_action(stage)
        for stage in (
            PartnershipStage.DISCUSSION,
            PartnershipStage.AGREEMENT,
            PartnershipStage.FIRST_TRANSACTION,
            PartnershipStage.ACTIVE,
        )
    ]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new partnership opens through the service, which records its first stage.
        created = partnership_create(
            application=obj.application,
            organisation=obj.organisation,
            type=obj.type,
            started_on=obj.started_on,
            by=request.user,
            description=obj.description,
            meeting=obj.meeting,
        )
        obj.pk = created.pk
        obj.stage, obj.stage_changed_on = created.stage, created.stage_changed_on
        obj._state.adding, obj._state.db = False, created._state.db


@admin.register(PartnershipStageChange)
class PartnershipStageChangeAdmin(admin.ModelAdmin):
    """The partnership's audit trail: read-only, written only by the partnership services."""

    # The changelist's order: latest first, by primary key (the model's order joins its partnership).
    ordering = ("-pk",)

    list_display = ("partnership", "from_stage", "to_stage", "changed_on", "by", "note")
    list_filter = ("to_stage", "from_stage")
    search_fields = ("partnership__organisation__name", "partnership__application__entrepreneur__last_name", "note")
    list_select_related = ("partnership__application__entrepreneur", "partnership__organisation", "by")
    date_hierarchy = "changed_on"
    list_per_page = 100
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PartnershipTransaction)
class PartnershipTransactionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "partnership", "kind", "occurred_on", "value", "currency", "value_eur")
    list_filter = ("kind", "currency")
    search_fields = ("partnership__organisation__name", "partnership__application__entrepreneur__last_name", "description")
    list_select_related = ("partnership__application__entrepreneur", "partnership__organisation")
    autocomplete_fields = ("partnership",)
    readonly_fields = ("value_eur",)
    date_hierarchy = "occurred_on"
    list_per_page = 50
    show_full_result_count = False


class SupportNeedInline(admin.TabularInline):
    model = SupportNeed
    fields = ("kind", "description", "status", "referred_to", "referred_on")
    autocomplete_fields = ("referred_to",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("referred_to")


class CheckInPartnershipAnswerInline(admin.TabularInline):
    model = CheckInPartnershipAnswer
    fields = ("partnership", "still_going", "stage", "signed", "signed_on", "transactions_value", "currency", "jobs_created")
    raw_id_fields = ("partnership",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partnership__organisation")


@admin.register(FollowUpCheckIn)
class FollowUpCheckInAdmin(admin.ModelAdmin):
    # The changelist's order: latest due first, read backwards from the followupcheckin_list_order index.
    ordering = ("-due_on", "-pk")
    list_display = (
        "__str__",
        "months_after",
        "due_on",
        "status",
        "completed_on",
        "contracts_signed",
        "orders_value_eur",
        "jobs_created",
    )
    list_filter = ("status", "group", "months_after", ("application__cohort", CohortListFilter))
    search_fields = ("application__entrepreneur__last_name", "application__entrepreneur__email", "notes")
    readonly_fields = ("sent_at", "reminders_sent", "last_reminded_at")
    list_select_related = APPLICATION_LABEL
    autocomplete_fields = ("application",)
    date_hierarchy = "due_on"
    list_per_page = 50
    show_full_result_count = False
    inlines = [SupportNeedInline, CheckInPartnershipAnswerInline]

    def get_queryset(self, request):
        # The same joins as the list, so the changelist keeps them (Django skips list_select_related
        # when the queryset already has some) and autocomplete labels need no extra query.
        return super().get_queryset(request).select_related(*self.list_select_related)

    def save_formset(self, request, form, formset, change):
        # A need raised at a check-in belongs to the check-in's application.
        for need_form in formset.forms:
            if isinstance(need_form.instance, SupportNeed):
                need_form.instance.application_id = form.instance.application_id
        super().save_formset(request, form, formset, change)


@admin.register(SupportNeed)
class SupportNeedAdmin(admin.ModelAdmin):
    list_display = ("kind", "application", "status", "referred_to", "referred_on", "created_at")
    list_filter = ("kind", "status", ("referred_to", admin.RelatedOnlyFieldListFilter))
    search_fields = ("application__entrepreneur__last_name", "description", "referred_to__name")
    list_select_related = (*APPLICATION_LABEL, "referred_to")
    autocomplete_fields = ("application", "check_in", "referred_to")
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False


# --------------------------------------------------------------------------------------------------
# Personal data: read-only records of what the retention rule, exports and anonymisations did
# --------------------------------------------------------------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(VisaStatusChange)
class VisaStatusChangeAdmin(ReadOnlyAdmin):
    """The visa timeline: written by visa_status_change only."""

    # The changelist's order: latest first, by primary key (the model's order joins its visa file).
    ordering = ("-pk",)

    list_display = ("visa_file", "from_status", "to_status", "changed_on", "by")
    list_filter = ("to_status",)
    list_select_related = ("visa_file__application__entrepreneur", "by")


@admin.register(InvitationLetter)
class InvitationLetterAdmin(ReadOnlyAdmin):
    list_display = ("requested_at", "visa_file", "invitation", "status", "finished_at")
    list_filter = ("status",)
    list_select_related = ("visa_file__application__entrepreneur", "invitation__organisation", "invitation__trip")
    exclude = ("document",)


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ("run_on", "status", "visa_files_purged", "files_deleted", "finished_at")
    list_filter = ("status",)


@admin.register(PersonalDataExport)
class PersonalDataExportAdmin(ReadOnlyAdmin):
    list_display = ("requested_at", "user", "status", "size", "expires_at")
    list_filter = ("status",)
    exclude = ("file",)  # the zip is the person's: only they download it
    list_select_related = ("user",)


@admin.register(Anonymisation)
class AnonymisationAdmin(ReadOnlyAdmin):
    list_display = ("done_at", "entrepreneur", "by", "files_deleted")
    list_select_related = ("entrepreneur", "by")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PartnershipDocument)
class PartnershipDocumentAdmin(admin.ModelAdmin):
    """Read-only: documents arrive through the partnership page, whose service checks each file
    (cohorts.services.apply.document_checked); they are opened there, through the permission check."""

    # The changelist's order: latest first, by primary key (the model's order joins its partnership).
    ordering = ("-pk",)

    list_display = ("title", "kind", "partnership", "uploaded_at", "uploaded_by")
    list_filter = ("kind",)
    search_fields = ("title", "partnership__organisation__name", "partnership__application__entrepreneur__last_name")
    list_select_related = ("partnership__application__entrepreneur", "partnership__organisation", "uploaded_by")
    fields = (
        "partnership",
        "kind",
        "title",
        "file_on_record",
        "original_name",
        "content_type",
        "size",
        "uploaded_at",
        "uploaded_by",
    )
    readonly_fields = fields
    list_per_page = 50
    show_full_result_count = False

    @admin.display(description=_("fichier enregistré"))
    def file_on_record(self, obj: PartnershipDocument) -> str:
        return stored_file_label(obj.file)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PartnerCheckIn)
class PartnerCheckInAdmin(admin.ModelAdmin):
    list_display = ("__str__", "months_after", "due_on", "language", "sent_at", "reminders_sent", "answered_at", "still_going")
    list_filter = ("language", "months_after", ("partnership__application__cohort", CohortListFilter))
    search_fields = ("partnership__organisation__name", "email", "comment")
    list_select_related = ("partnership__organisation",)
    raw_id_fields = ("partnership",)
    readonly_fields = ("sent_at", "reminders_sent", "last_reminded_at", "answered_at")
    date_hierarchy = "due_on"
    list_per_page = 50
    show_full_result_count = False


@admin.register(StageProposal)
class StageProposalAdmin(admin.ModelAdmin):
    """Staff decide on proposals on the follow-up page (which moves the stage through the service);
    here they are read."""

    list_display = ("__str__", "to_stage", "answered_on", "status", "decided_by", "decided_at")
    list_filter = ("status", "to_stage")
    search_fields = ("partnership__organisation__name", "partnership__application__entrepreneur__last_name")
    list_select_related = ("partnership__organisation", "partnership__application__entrepreneur", "decided_by")
    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CheckInPartnershipAnswer)
class CheckInPartnershipAnswerAdmin(admin.ModelAdmin):
    """What entrepreneurs answered of each partnership (also shown inside their check-in): read here."""

    # The changelist's order: latest first, by primary key (the model's order joins its check-in).
    ordering = ("-pk",)

    list_display = ("__str__", "still_going", "stage", "signed", "transactions_value", "currency", "jobs_created")
    list_filter = ("still_going", "signed", "stage")
    search_fields = ("partnership__organisation__name", "check_in__application__entrepreneur__last_name")
    list_select_related = ("check_in__application__entrepreneur", "partnership__organisation")
    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
