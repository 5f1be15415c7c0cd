from django.urls import path

from frontend.languages import in_context_language
from frontend.views import results

urlpatterns = [
    path("c/<str:public_id>/results/", results.results, name="results"),
    path("c/<str:public_id>/results/poll/", results.results_poll, name="results-poll"),
    path("c/<str:public_id>/results/status/", results.status, name="results-status"),
]

# In the visitor's language, matched to the conversation's context (frontend/languages.py).
for pattern in urlpatterns:
    pattern.callback = in_context_language(pattern.callback)
