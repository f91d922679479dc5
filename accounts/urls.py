from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import forms, views, views_mfa
from .throttling import answered_in_constant_time

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=forms.LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:password_change_done")),
        name="password_change",
    ),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password/reset/",
        answered_in_constant_time(
            views.ThrottledPasswordResetView.as_view(
                form_class=forms.QueuedPasswordResetForm,
                success_url=reverse_lazy("accounts:password_reset_done"),
                email_template_name="registration/password_reset_email.txt",
                subject_template_name="registration/password_reset_subject.txt",
            )
        ),
        name="password_reset",
    ),
    path("password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("accounts:password_reset_complete")),
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # Sign-up of applicants, with e-mail verification.
    path("signup/", views.signup, name="signup"),
    path("signup/done/", views.signup_done, name="signup_done"),
    path("signup/verify/<uidb64>/<token>/", views.signup_verify, name="signup_verify"),
    path("signup/resend/", views.signup_resend, name="signup_resend"),
    # Second factor (staff, evaluators, committee).
    path("mfa/setup/", views_mfa.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", views_mfa.mfa_verify, name="mfa_verify"),
    path("mfa/recovery-codes/", views_mfa.mfa_recovery_codes, name="mfa_recovery_codes"),
]
