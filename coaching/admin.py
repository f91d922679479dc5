"""Back office for pre-mobility support: coach assignments, group events and their attendance, coaching
sessions. The application's change page gains its coach-assignment inline here, so that `cohorts` (below
this app) does not need to know about coaching."""

from django import forms
from django.contrib import admin

from cohorts.admin import ApplicationAdmin as CohortsApplicationAdmin
from cohorts.admin import CoachListFilter, CohortListFilter
from cohorts.models import Application
from core.forms import choice_list_field

from .models import ActionItem, CoachAssignment, CoachDigest, CoachingSession, CoachingTopic, EventAttendance, GroupEvent


class CoachAssignmentInline(admin.TabularInline):
    model = CoachAssignment
    fields = ("coach", "assigned_on", "ended_on", "assigned_by")
    readonly_fields = ("assigned_by",)
    autocomplete_fields = ("coach",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("coach__user", "coach__organisation", "assigned_by")


admin.site.unregister(Application)


@admin.register(Application)
class ApplicationAdmin(CohortsApplicationAdmin):
    """The cohorts app's application admin, with the coaches assigned to the application."""

    inlines = [*CohortsApplicationAdmin.inlines, CoachAssignmentInline]

    def save_formset(self, request, form, formset, change):
        # Who assigned a coach is the staff member saving the form.
        if formset.model is CoachAssignment:
            for instance in formset.save(commit=False):
                if instance.assigned_by_id is None:
                    instance.assigned_by = request.user
                instance.save()
            for obj in formset.deleted_objects:
                obj.delete()
            formset.save_m2m()
            return
        super().save_formset(request, form, formset, change)


@admin.register(CoachAssignment)
class CoachAssignmentAdmin(admin.ModelAdmin):
    list_display = ("coach", "application", "assigned_on", "ended_on", "assigned_by")
    list_filter = (("application__cohort", CohortListFilter), ("ended_on", admin.EmptyFieldListFilter))
    search_fields = ("coach__user__last_name", "coach__user__email", "application__entrepreneur__last_name")
    list_select_related = (
        "coach__user",
        "coach__organisation",
        "application__entrepreneur",
        "application__cohort__programme",
        "assigned_by",
    )
    autocomplete_fields = ("application", "coach", "assigned_by")
    date_hierarchy = "assigned_on"
    list_per_page = 50
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        if obj.assigned_by_id is None:
            obj.assigned_by = request.user
        super().save_model(request, obj, form, change)


class EventAttendanceInline(admin.TabularInline):
    model = EventAttendance
    fields = ("application", "attended")
    autocomplete_fields = ("application",)
    extra = 0


@admin.register(GroupEvent)
class GroupEventAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "cohort", "starts_at", "ends_at", "location", "facilitator")
    list_filter = ("kind", ("cohort", CohortListFilter))
    search_fields = ("title", "location", "description")
    list_select_related = ("cohort__programme", "facilitator")
    autocomplete_fields = ("cohort", "facilitator")
    date_hierarchy = "starts_at"
    inlines = [EventAttendanceInline]


@admin.register(EventAttendance)
class EventAttendanceAdmin(admin.ModelAdmin):
    list_display = ("event", "application", "attended")
    list_filter = ("attended", "event__kind", ("event__cohort", CohortListFilter))
    search_fields = ("event__title", "application__entrepreneur__last_name")
    list_select_related = ("event", "application__entrepreneur")
    autocomplete_fields = ("event", "application")
    list_per_page = 100
    show_full_result_count = False


class CoachingSessionForm(forms.ModelForm):
    """The topics as ticked boxes with their labels, never the stored list."""

    topic_tags = choice_list_field(CoachingSession, "topic_tags", CoachingTopic.choices)

    class Meta:
        model = CoachingSession
        fields = "__all__"


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    fields = ("title", "owner", "due_on", "done_at")
    extra = 0


@admin.register(CoachingSession)
class CoachingSessionAdmin(admin.ModelAdmin):
    form = CoachingSessionForm
    inlines = [ActionItemInline]
    list_display = ("held_on", "application", "coach", "kind", "duration_minutes", "event")
    list_filter = ("kind", ("application__cohort", CohortListFilter), ("coach", CoachListFilter))
    search_fields = ("application__entrepreneur__last_name", "coach__user__last_name", "topics")
    list_select_related = (
        "application__entrepreneur",
        "application__cohort__programme",
        "coach__user",
        "coach__organisation",
        "event",
    )
    autocomplete_fields = ("application", "coach", "event")
    readonly_fields = ("logged_at",)
    date_hierarchy = "held_on"
    list_per_page = 50
    show_full_result_count = False


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ("title", "application", "owner", "due_on", "done_at")
    list_filter = ("owner", ("application__cohort", CohortListFilter))
    search_fields = ("title", "application__entrepreneur__last_name")
    list_select_related = ("application__entrepreneur", "application__cohort__programme")
    autocomplete_fields = ("application", "session", "done_by")
    list_per_page = 50
    show_full_result_count = False


@admin.register(CoachDigest)
class CoachDigestAdmin(admin.ModelAdmin):
    """What the weekly reminders said, per coach and week: written by the beat task only."""

    list_display = ("week_of", "coach", "overdue_actions", "quiet_entrepreneurs", "created_at")
    list_select_related = ("coach__user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
