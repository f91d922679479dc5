"""URLs of this area; included by reporting/urls.py into the "reporting" namespace."""

urlpatterns: list = []
