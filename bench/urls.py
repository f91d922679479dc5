"""The project's URLs plus `/bench/trivial/`: a view that does nothing but answer, through the same
middleware (sessions, authentication, language, CSP...), to measure what the server itself costs."""

from django.http import HttpResponse
from django.urls import path

from pemwecco.urls import urlpatterns as project_urlpatterns


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial, name="bench_trivial"), *project_urlpatterns]
