"""Pages for facilitators: contexts, conversations, seeding, moderation."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from deliberation.access import facilitated_contexts


@login_required
def home(request):
    return render(request, "frontend/facilitate/home.html", {"contexts": facilitated_contexts(request.user)})
