"""URLs of this area; included by cohorts/urls.py into the "cohorts" namespace."""

urlpatterns: list = []
