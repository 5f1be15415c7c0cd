from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from api.views.docs import ApiDocsView
from frontend.login_throttle import ThrottledAdminAuthenticationForm
from frontend.views.health import healthz

# The admin's sign-in counts failures like the facilitators' (frontend/login_throttle.py).
admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("frontend.urls")),
]

handler400 = "frontend.views.errors.bad_request_page"
handler404 = "frontend.views.errors.not_found"
