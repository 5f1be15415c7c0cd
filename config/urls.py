from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from api.views.docs import ApiDocsView
from frontend.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("frontend.urls")),
]

handler404 = "frontend.views.errors.not_found"
