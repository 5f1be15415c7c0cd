"""Pages for community members: find a conversation, join, vote, write."""

from django.shortcuts import render

from deliberation.models import Context


def home(request):
    contexts = Context.objects.filter(is_public=True)
    return render(request, "frontend/home.html", {"contexts": contexts})
