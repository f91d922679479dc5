"""Top-level URLs. The language is chosen by the switcher (cookie), so URLs are the same in both."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views as account_views
from reporting.views.home import home

admin.site.site_header = _("PEM – administration")
admin.site.site_title = _("PEM – administration")
admin.site.index_title = _("Back-office du programme")

urlpatterns = [
    path("", home, name="home"),
    path("", include("cohorts.urls")),
    path("rapports/", include("reporting.urls")),
    path("", include("coaching.urls")),
    path("", include("mobility.urls")),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
]
