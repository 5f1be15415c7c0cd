from django.urls import path

from frontend.languages import in_context_language
from frontend.views import (
    how_it_works,
    my_votes,
    participate,
    privacy,
    process_constitution,
    process_participate,
)

urlpatterns = [
    path("", participate.home, name="home"),
    path("c/<str:public_id>/", participate.conversation, name="participate"),
    path("c/<str:public_id>/how-it-works/", how_it_works.how_it_works, name="how-it-works"),
    path("c/<str:public_id>/join/", participate.join, name="join"),
    path("c/<str:public_id>/switch/", participate.switch, name="switch"),
    path("c/<str:public_id>/vote/", participate.vote, name="vote"),
    path("c/<str:public_id>/my-votes/", my_votes.my_votes, name="my-votes"),
    path(
        "c/<str:public_id>/my-votes/<int:statement_id>/",
        my_votes.change_vote,
        name="change-vote",
    ),
    path("c/<str:public_id>/write/", participate.write, name="write"),
    path("c/<str:public_id>/screening/", process_participate.screening, name="screening"),
    path("c/<str:public_id>/about-you/", process_participate.about_you, name="about-you"),
    path("c/<str:public_id>/ratify/", process_constitution.ratify_page, name="ratify"),
    path("c/<str:public_id>/my-data/", privacy.my_data, name="my-data"),
    path("c/<str:public_id>/my-data/delete/", privacy.delete_data, name="delete-data"),
]

# In the visitor's language, matched to the conversation's context (frontend/languages.py).
for pattern in urlpatterns:
    pattern.callback = in_context_language(pattern.callback)
