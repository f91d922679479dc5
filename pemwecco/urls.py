"""Top-level URLs. The language is chosen by the switcher (cookie), so URLs are the same in both."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from cohorts import views as cohort_views

admin.site.site_header = _("PEM – administration")
admin.site.site_title = _("PEM – administration")
admin.site.index_title = _("Back-office du programme")

urlpatterns = [
    path("", cohort_views.home, name="home"),
    path("", include("cohorts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
]
