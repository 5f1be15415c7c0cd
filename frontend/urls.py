from django.urls import include, path

app_name = "frontend"

# Pages are split by who uses them; each module owns its views and templates.
urlpatterns = [
    path("", include("frontend.urls_participate")),
    path("", include("frontend.urls_results")),
    path("facilitate/", include("frontend.urls_facilitate")),
    path("", include("frontend.urls_constitutions")),
]
