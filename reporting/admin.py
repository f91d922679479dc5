"""Back office for the results framework, the DAC evaluation and the report jobs.

Report jobs are read-only here: they are queued and run by the reporting services, and their PDF
lives in the private storage (its name is shown, never a link).
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from cohorts.admin import AuditedHistoryAdmin, CohortListFilter, PrivateFilesAdminMixin
from cohorts.models import Cohort

from .models import (
    Conclusion,
    CriterionFinding,
    CriterionGrade,
    DacCriterion,
    DataSource,
    Disaggregation,
    Evaluation,
    EvaluationQuestion,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Lesson,
    ManagementResponse,
    Recommendation,
    RecommendationLevel,
    ReportJob,
    ResultObjective,
)

# --------------------------------------------------------------------------------------------------
# Results framework
# --------------------------------------------------------------------------------------------------


@admin.register(ResultObjective)
class ResultObjectiveAdmin(TranslationAdmin):
    list_display = ("code", "title", "programme", "level", "parent", "order")
    list_filter = ("programme", "level")
    search_fields = ("code", "title_fr", "title_en")
    list_select_related = ("programme", "parent")
    autocomplete_fields = ("programme", "parent")


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    fields = ("period_label", "period_end", "value")
    extra = 0


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    fields = ("period_end", "cohort", "dimension", "group", "value", "is_snapshot", "evidence", "recorded_at", "recorded_by")
    readonly_fields = ("recorded_at", "recorded_by")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cohort__programme", "recorded_by")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "cohort":
            kwargs["queryset"] = Cohort.objects.select_related("programme")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class IndicatorAdminForm(forms.ModelForm):
    disaggregations = forms.TypedMultipleChoiceField(
        label=_("ventilations"),
        choices=Disaggregation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Indicator
        fields = "__all__"


@admin.register(Indicator)
class IndicatorAdmin(TranslationAdmin):
    form = IndicatorAdminForm
    list_display = ("code", "name", "programme", "objective", "unit", "direction", "calculator", "baseline", "order")
    list_filter = ("programme", "direction", ("calculator", admin.EmptyFieldListFilter))
    search_fields = ("code", "name_fr", "name_en", "definition_fr", "definition_en")
    list_select_related = ("programme", "objective")
    autocomplete_fields = ("programme", "objective")
    inlines = [IndicatorTargetInline, IndicatorValueInline]

    def save_formset(self, request, form, formset, change):
        for value_form in formset.forms:
            instance = value_form.instance
            if isinstance(instance, IndicatorValue) and instance.recorded_by_id is None:
                instance.recorded_by = request.user
        super().save_formset(request, form, formset, change)


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(admin.ModelAdmin):
    list_display = ("indicator", "period_label", "period_end", "value")
    list_filter = ("indicator__programme",)
    search_fields = ("indicator__code", "indicator__name", "period_label")
    list_select_related = ("indicator",)
    autocomplete_fields = ("indicator",)
    date_hierarchy = "period_end"


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    # The changelist's order: latest first, by primary key (the model's order joins its indicator).
    ordering = ("-pk",)
    list_display = ("indicator", "period_end", "cohort", "dimension", "group", "value", "is_snapshot", "recorded_by")
    list_filter = ("is_snapshot", "dimension", "indicator__programme", ("cohort", CohortListFilter))
    search_fields = ("indicator__code", "indicator__name", "group", "evidence")
    list_select_related = ("indicator", "cohort__programme", "recorded_by")
    autocomplete_fields = ("indicator", "cohort", "recorded_by")
    readonly_fields = ("recorded_at",)
    date_hierarchy = "period_end"
    list_per_page = 100
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        if obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


# --------------------------------------------------------------------------------------------------
# The evaluation
# --------------------------------------------------------------------------------------------------


class EvaluationScopedInline(TranslationTabularInline):
    """Choices that point inside an evaluation (a question's parent, a recommendation's conclusions)
    offer only rows of the evaluation being edited."""

    extra = 0
    scoped_fields: dict[str, type] = {}

    def get_formset(self, request, obj=None, **kwargs):
        request._pem_evaluation = obj
        return super().get_formset(request, obj, **kwargs)

    def _scope(self, db_field, request, kwargs):
        evaluation = getattr(request, "_pem_evaluation", None)
        if db_field.name in self.scoped_fields:
            model = self.scoped_fields[db_field.name]
            kwargs["queryset"] = model.objects.filter(evaluation=evaluation) if evaluation else model.objects.none()
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self._scope(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._scope(db_field, request, kwargs))


class CriterionGradeInline(TranslationTabularInline):
    model = CriterionGrade
    fields = ("criterion", "grade", "findings")
    extra = 0
    show_change_link = True


class EvaluationQuestionForm(forms.ModelForm):
    criteria = forms.TypedMultipleChoiceField(
        label=_("critères CAD liés"), choices=DacCriterion.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    sources = forms.TypedMultipleChoiceField(
        label=_("sources de données"), choices=DataSource.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = EvaluationQuestion
        fields = "__all__"


class EvaluationQuestionInline(EvaluationScopedInline):
    model = EvaluationQuestion
    form = EvaluationQuestionForm
    fields = ("order", "code", "parent", "question", "criteria", "sources")
    scoped_fields = {"parent": EvaluationQuestion}
    show_change_link = True


class ConclusionInline(TranslationTabularInline):
    model = Conclusion
    fields = ("order", "code", "title", "text")
    extra = 0


class RecommendationForm(forms.ModelForm):
    levels = forms.TypedMultipleChoiceField(
        label=_("niveaux (1 à 4)"),
        choices=RecommendationLevel.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Recommendation
        fields = "__all__"


class RecommendationInline(EvaluationScopedInline):
    model = Recommendation
    form = RecommendationForm
    fields = ("order", "code", "title", "priority", "type", "levels", "conclusions")
    scoped_fields = {"conclusions": Conclusion}
    show_change_link = True


class LessonInline(TranslationTabularInline):
    model = Lesson
    fields = ("order", "code", "title", "text")
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(TranslationAdmin):
    list_display = ("title", "programme", "evaluator", "period_start", "period_end", "report_date")
    list_filter = ("programme",)
    search_fields = ("title", "summary")
    list_select_related = ("programme", "evaluator")
    autocomplete_fields = ("programme", "evaluator")
    date_hierarchy = "period_end"
    inlines = [CriterionGradeInline, EvaluationQuestionInline, ConclusionInline, RecommendationInline, LessonInline]


class CriterionFindingInline(TranslationTabularInline):
    model = CriterionFinding
    fields = ("objective", "text")
    extra = 0


@admin.register(CriterionGrade)
class CriterionGradeAdmin(TranslationAdmin, AuditedHistoryAdmin):
    list_display = ("criterion", "grade", "evaluation")
    list_filter = ("criterion", "grade", "evaluation")
    search_fields = ("findings", "evaluation__title")
    list_select_related = ("evaluation",)
    autocomplete_fields = ("evaluation",)
    inlines = [CriterionFindingInline]


@admin.register(CriterionFinding)
class CriterionFindingAdmin(TranslationAdmin):
    list_display = ("grade", "objective")
    list_filter = ("objective", "grade__criterion")
    search_fields = ("text",)
    list_select_related = ("grade",)
    autocomplete_fields = ("grade",)


@admin.register(EvaluationQuestion)
class EvaluationQuestionAdmin(TranslationAdmin):
    form = EvaluationQuestionForm
    list_display = ("code", "short_question", "evaluation", "parent", "order")
    list_filter = ("evaluation",)
    search_fields = ("code", "question", "answer")
    list_select_related = ("evaluation", "parent")
    autocomplete_fields = ("evaluation", "parent", "indicators")

    @admin.display(description=_("question"))
    def short_question(self, obj: EvaluationQuestion) -> str:
        return obj.question if len(obj.question) <= 90 else obj.question[:89] + "…"


@admin.register(Conclusion)
class ConclusionAdmin(TranslationAdmin):
    list_display = ("code", "title", "evaluation", "order")
    list_filter = ("evaluation",)
    search_fields = ("code", "title", "text")
    list_select_related = ("evaluation",)
    autocomplete_fields = ("evaluation",)


class ManagementResponseInline(TranslationStackedInline):
    model = ManagementResponse
    fields = ("decision", "action", "owner", "deadline", "status", "updated_at")
    readonly_fields = ("updated_at",)
    extra = 0
    max_num = 1


@admin.register(Recommendation)
class RecommendationAdmin(TranslationAdmin):
    form = RecommendationForm
    list_display = ("code", "title", "evaluation", "priority", "type", "order")
    list_filter = ("priority", "type", "evaluation")
    search_fields = ("code", "title", "text", "targeted_actors")
    list_select_related = ("evaluation",)
    autocomplete_fields = ("evaluation", "conclusions")
    inlines = [ManagementResponseInline]


@admin.register(ManagementResponse)
class ManagementResponseAdmin(TranslationAdmin, AuditedHistoryAdmin):
    list_display = ("recommendation", "decision", "status", "owner", "deadline", "updated_at")
    list_filter = ("decision", "status")
    search_fields = ("recommendation__code", "recommendation__title", "owner", "action")
    list_select_related = ("recommendation",)
    autocomplete_fields = ("recommendation",)
    readonly_fields = ("updated_at",)
    date_hierarchy = "deadline"


@admin.register(Lesson)
class LessonAdmin(TranslationAdmin):
    list_display = ("code", "title", "evaluation", "order")
    list_filter = ("evaluation",)
    search_fields = ("code", "title", "text")
    list_select_related = ("evaluation",)
    autocomplete_fields = ("evaluation",)


# --------------------------------------------------------------------------------------------------
# Report jobs
# --------------------------------------------------------------------------------------------------


@admin.register(ReportJob)
class ReportJobAdmin(PrivateFilesAdminMixin, admin.ModelAdmin):
    """Watch the jobs (and why one failed); asking for a report happens on the reporting pages."""

    list_display = (
        "__str__",
        "kind",
        "programme",
        "cohort",
        "language",
        "status",
        "progress",
        "requested_by",
        "requested_at",
        "finished_at",
    )
    list_filter = ("status", "kind", "language", "programme")
    search_fields = ("programme__code", "error")
    list_select_related = ("programme", "cohort__programme", "requested_by")
    fields = (
        "kind",
        "programme",
        "cohort",
        "language",
        "status",
        "progress",
        "attempts",
        "error",
        "file_on_record",
        "size",
        "sha256",
        "data_as_of",
        "requested_by",
        "requested_at",
        "started_at",
        "finished_at",
    )
    readonly_fields = ("file_on_record",)
    date_hierarchy = "requested_at"
    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("fichier"))
    def file_on_record(self, obj: ReportJob) -> str:
        # The private storage serves no URL: the name only; the reporting pages stream the PDF.
        return obj.file.name.rsplit("/", 1)[-1] if obj.file else "—"
