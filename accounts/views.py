"""Account pages: Django's auth views (see urls.py, templates in templates/registration/), the sign-up of
applicants with e-mail verification, and the language switcher. The home page lives in
`reporting.views.home.home`: it gathers objects of several apps."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.i18n import set_language as django_set_language

from . import services
from .forms import ResendVerificationForm, SignupCompleteForm, SignupForm
from .throttling import answered_in_constant_time, email_request_allowed


def _too_many_requests(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    messages.error(request, _("Trop de demandes depuis votre connexion. Réessayez dans une heure."))
    return render(request, template, context, status=429)


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset page with a limit per client address (the form limits e-mails per address), answered
    in the same time whether the address has an account or not (urls.py wraps it)."""

    def form_valid(self, form):
        if not email_request_allowed(self.request, scope="password_reset"):
            return _too_many_requests(self.request, self.template_name, self.get_context_data(form=form))
        return super().form_valid(form)


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's switcher, plus: a logged-in person's choice is kept on their account, so that e-mails
    and their next visit from another device use it too."""
    response = django_set_language(request)
    language = request.POST.get("language")
    user = request.user
    if request.method == "POST" and user.is_authenticated and language in dict(settings.LANGUAGES):
        if user.preferred_language != language:
            user.preferred_language = language
            user.save(update_fields=["preferred_language"])
    return response


@answered_in_constant_time
def signup(request: HttpRequest) -> HttpResponse:
    """Applicants start their account here: the page that follows is the same whether or not the address
    has an account already (the e-mail that goes there says which)."""
    next_url = services.safe_next(request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url or "home")
    form = SignupForm(request.POST or None, initial={"preferred_language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        if not email_request_allowed(request, scope="signup"):
            return _too_many_requests(request, "registration/signup_form.html", {"form": form, "next": next_url})
        data = form.cleaned_data
        services.user_signup(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            preferred_language=data["preferred_language"],
            next_url=next_url,
        )
        request.session["signup_email"] = data["email"]
        return redirect("accounts:signup_done")
    return render(request, "registration/signup_form.html", {"form": form, "next": next_url})


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/signup_done.html", {"email": request.session.get("signup_email", "")})


@sensitive_post_parameters("password1", "password2")
def signup_verify(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link of the verification e-mail: the holder of the mailbox chooses the password, the account is
    activated, and they log in with it (the link never logs anyone in). A link that served already,
    expired or was altered gets a page saying so (and how to get a new one)."""
    outcome, user = services.verification_check(uidb64=uidb64, token=token)
    if outcome != "valid":
        return render(
            request,
            "registration/signup_verify_failed.html",
            {"already_active": outcome == "already_active", "resend_form": ResendVerificationForm()},
        )
    form = SignupCompleteForm(
        request.POST or None, user=user, initial={"first_name": user.first_name, "last_name": user.last_name}
    )
    if request.method == "POST" and form.is_valid():
        activated = services.user_verify_email(
            uidb64=uidb64,
            token=token,
            password=form.cleaned_data["password1"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
        if activated is None:
            return redirect(request.get_full_path())
        messages.success(
            request, _("Votre compte est activé. Connectez-vous avec votre adresse e-mail et le mot de passe choisi.")
        )
        login_url = reverse("accounts:login")
        next_url = services.safe_next(request.GET.get("next"))
        return redirect(f"{login_url}?{urlencode({'next': next_url})}" if next_url else login_url)
    return render(request, "registration/signup_complete.html", {"form": form, "email": user.email})


@answered_in_constant_time
def signup_resend(request: HttpRequest) -> HttpResponse:
    """Ask for a new verification link. The answer is the same whether or not the address has an account."""
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not email_request_allowed(request, scope="resend"):
            return _too_many_requests(request, "registration/signup_resend.html", {"form": form})
        services.verification_email_resend(email=form.cleaned_data["email"])
        request.session["signup_email"] = form.cleaned_data["email"]
        return redirect("accounts:signup_done")
    return render(request, "registration/signup_resend.html", {"form": form})
