"""Everything under /api/v1/: each app serves its own API module."""

from django.urls import include, path

urlpatterns: list = [
    path("", include("constitutions.api_urls")),
]
