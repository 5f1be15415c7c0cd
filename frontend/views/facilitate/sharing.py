"""Sharing a conversation: its absolute participant link, a QR code of it for posters, and a
preview of what participants will see (drafts included, which participants cannot open)."""

import io

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from deliberation.access import facilitated_conversation_or_404
from deliberation.models import Statement


def participant_link(conversation) -> str:
    # The link leaves the site (posters, mail, chat), so it uses the public address, not the
    # request's host.
    return f"{settings.SITE_URL}{conversation.get_absolute_url()}"


@login_required
def qr_code(request, public_id):
    """The participant link as an SVG QR code. segno: maintained, pure Python, no dependencies,
    and it writes SVG itself (no imaging library). Error correction "M" survives a poster's
    creases; the 4-module quiet zone is what scanners need (ISO/IEC 18004)."""
    conversation = facilitated_conversation_or_404(request.user, public_id)
    svg = io.BytesIO()
    segno.make(participant_link(conversation), error="m").save(
        svg, kind="svg", scale=8, border=4, xmldecl=False, title=conversation.topic
    )
    response = HttpResponse(svg.getvalue(), content_type="image/svg+xml")
    if "download" in request.GET:
        response["Content-Disposition"] = f'attachment; filename="polity-{public_id}-qr.svg"'
    return response


@login_required
def preview(request, public_id):
    """What a participant sees on arrival, with every control disabled: nothing here votes."""
    conversation = facilitated_conversation_or_404(request.user, public_id)
    statements = conversation.statements.filter(
        state=Statement.State.ACCEPTED, is_meta=False
    ).order_by("id")
    return render(
        request,
        "frontend/facilitate/preview.html",
        {
            "conversation": conversation,
            "context": conversation.context,
            "first": statements.first(),
            "statement_count": statements.count(),
            "statements": statements[:20],
        },
    )
