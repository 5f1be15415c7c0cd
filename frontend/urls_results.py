from django.urls import path

from frontend.views import results

urlpatterns = [
    path("c/<str:public_id>/results/", results.results, name="results"),
    path("c/<str:public_id>/results/poll/", results.results_poll, name="results-poll"),
    path("c/<str:public_id>/results/status/", results.status, name="results-status"),
]
