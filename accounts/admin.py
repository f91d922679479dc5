"""Back office for accounts: users log in by e-mail and hold their roles as groups."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.bilingual import language_name

from .emails import EMAIL_KINDS
from .models import EmailStatus, OutgoingEmail, Role, User
from .services import user_password_link_send
from .services_mfa import mfa_reset


def role_label(group: Group) -> str:
    """A role group is named by its code ("reviewer"): people read the role's name in their language."""
    return str(Role(group.name).label) if group.name in Role.values else group.name


class RoleListFilter(admin.SimpleListFilter):
    title = _("rôle")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        return queryset.filter(groups__name=self.value()) if self.value() else queryset


class UserCreationForm(forms.ModelForm):
    """A new account: staff give the person's address and name; the person chooses their password from
    the link e-mailed when the account is saved (staff never choose somebody else's password)."""

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Un compte existe déjà avec cette adresse."), code="duplicate_email")
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("last_name", "first_name", "email")
    list_display = ("email", "first_name", "last_name", "roles", "is_staff", "is_active", "is_fictitious", "last_login")
    list_filter = (RoleListFilter, "is_staff", "is_active", "is_fictitious", "is_superuser")
    search_fields = ("email", "first_name", "last_name")
    list_per_page = 50
    show_full_result_count = False
    date_hierarchy = "date_joined"
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ("groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name", "phone", "preferred_language", "time_zone")}),
        (_("Rôles et accès"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Démonstration"), {"fields": ("is_fictitious",)}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name"),
            },
        ),
    )

    actions = ["send_password_link", "reset_second_factor"]

    def get_fieldsets(self, request, obj=None):
        # Somebody else's password is not set here: the action sends them a link to choose it.
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.pk == request.user.pk:
            return fieldsets
        return [
            (name, {**options, "fields": tuple(field for field in options["fields"] if field != "password")})
            for name, options in fieldsets
        ]

    def user_change_password(self, request, id, form_url=""):
        """Only one's own password is changed here; other people get a link (the action below)."""
        if str(request.user.pk) != str(unquote(id)):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            user_password_link_send(user=obj)

    @admin.action(description=_("Envoyer un lien de réinitialisation du mot de passe"), permissions=["change"])
    def send_password_link(self, request, queryset):
        users = [user for user in queryset if user.is_active and not self._touches_a_superuser(request, user)]
        for user in users:
            user_password_link_send(user=user)
        self.message_user(
            request,
            ngettext(
                "Lien de réinitialisation envoyé à %(count)d personne.",
                "Lien de réinitialisation envoyé à %(count)d personnes.",
                len(users),
            )
            % {"count": len(users)},
        )

    def get_queryset(self, request):
        # One query for the roles of the whole page instead of one per row.
        return super().get_queryset(request).prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser hands out superuser status or individual permissions: staff manage people
        # through roles (groups), and must not be able to raise their own privileges.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def _touches_a_superuser(self, request, obj) -> bool:
        return obj is not None and obj.is_superuser and not request.user.is_superuser

    # A staff member must not be able to change a superuser's password, e-mail or status, or delete
    # them: that would be a takeover of the most privileged account. The password view asks this too.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._touches_a_superuser(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._touches_a_superuser(request, obj)

    @admin.action(description=_("Réinitialiser la double authentification (téléphone perdu)"))
    def reset_second_factor(self, request, queryset):
        users = [user for user in queryset if not self._touches_a_superuser(request, user)]
        for user in users:
            mfa_reset(user=user)
        self.message_user(
            request,
            ngettext(
                "%(count)d personne ajoutera un nouveau téléphone à sa prochaine connexion.",
                "%(count)d personnes ajouteront un nouveau téléphone à leur prochaine connexion.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )

    @admin.display(description=_("rôles"))
    def roles(self, obj: User) -> str:
        return ", ".join(role_label(group) for group in obj.groups.all())

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            field.label_from_instance = role_label
            field.help_text = _("Les rôles de la personne : chacun ouvre les pages et les droits de ce rôle.")
        return field


# Roles are defined in code (`Role`) and their permissions by migrations: editing a group here would
# silently drift from both. Staff give roles to people on the user form instead.
admin.site.unregister(Group)
# The authenticators' secrets stay out of the back office: staff reset a lost second factor with the
# action above, and people enrol their own phone.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


class LanguageListFilter(admin.SimpleListFilter):
    """The languages of the rows by name ("Néerlandais"), not their code: for any model's `language`."""

    title = _("langue")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        codes = model_admin.get_queryset(request).order_by().values_list("language", flat=True).distinct()
        return [(code, language_name(code)) for code in sorted(set(codes)) if code]

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


class KindListFilter(admin.SimpleListFilter):
    title = _("type")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return sorted(EMAIL_KINDS.items(), key=lambda item: str(item[1]))

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """What the platform sent, to whom, and whether it left: staff can resend a failed e-mail."""

    list_display = ("subject", "to", "kind_label", "language_name", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", KindListFilter, LanguageListFilter)
    search_fields = ("to", "subject")
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False
    # Everything read-only; the kind and the language in words.
    fields = readonly_fields = [
        {"kind": "kind_label", "language": "language_name"}.get(f.name, f.name)
        for f in OutgoingEmail._meta.fields
        if f.name != "id"
    ]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("type"), ordering="kind")
    def kind_label(self, obj: OutgoingEmail) -> str:
        return str(EMAIL_KINDS.get(obj.kind, obj.kind))

    @admin.display(description=_("langue"), ordering="language")
    def language_name(self, obj: OutgoingEmail) -> str:
        return language_name(obj.language) if obj.language else ""

    @admin.action(description=_("Renvoyer les e-mails en échec"), permissions=["change"])
    def resend(self, request, queryset):
        from core.jobs import job_send

        failed = list(queryset.filter(status=EmailStatus.FAILED).values_list("pk", flat=True))
        OutgoingEmail.objects.filter(pk__in=failed, status=EmailStatus.FAILED).update(
            status=EmailStatus.QUEUED, attempts=0, error=""
        )
        for pk in failed:
            job_send(model=OutgoingEmail, pk=pk)
        self.message_user(request, _("%(count)d e-mail(s) remis en file d'attente.") % {"count": len(failed)})
