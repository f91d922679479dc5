"""Home page: each role lands on a page listing its own objects (filled in by the pages work)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {})
