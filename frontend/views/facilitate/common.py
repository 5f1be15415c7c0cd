"""Helpers shared by the facilitation views."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.errors import DomainError
from deliberation.models import Statement

PAGE_SIZE = 25


def action(view):
    """A state change: POST only (405 otherwise), after sign-in so visitors always go to login."""
    return login_required(require_POST(view))


def paginate(request, queryset, *, param: str = "page") -> Page:
    # get_page answers the nearest valid page for a missing, malformed or out-of-range number.
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(param))


def safe_next(request, target: str, fallback: str) -> str:
    """`target` if it is an address of this site (so never `javascript:` nor another site)."""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def redirect_back(request, fallback: str):
    """Without JavaScript, a row action returns to the list it came from (same site only)."""
    return redirect(safe_next(request, request.POST.get("next", ""), fallback))


def add_errors(form, error) -> None:
    """Put a service's refusal (ValidationError or DomainError) on the form."""
    # A ValidationError keyed by field lands on that field; anything else above the form.
    form.add_error(None, error.message if isinstance(error, DomainError) else error)


def statement_counts(conversation) -> dict[str, int]:
    return conversation.statements.aggregate(
        pending=Count("id", filter=Q(state=Statement.State.PENDING)),
        accepted=Count("id", filter=Q(state=Statement.State.ACCEPTED)),
        rejected=Count("id", filter=Q(state=Statement.State.REJECTED)),
    )


CONFIRMED = "yes"


def confirmed(request) -> bool:
    """An irreversible-feeling step (discard, close, exclude) is done only with `confirm=yes`:
    the confirmation page's button sends it, and so does htmx after its `hx-confirm` dialog."""
    return request.POST.get("confirm") == CONFIRMED


def confirm_page(request, *, title, question, action_url, button, cancel_url, carry=(), **page):
    """Ask before acting; this answer writes nothing. `carry` names POST fields sent along again
    (the state chosen, an exclusion's reason, the list to return to); `page` holds the context
    and conversation for the breadcrumbs."""
    fields = [(name, request.POST[name]) for name in carry if name in request.POST]
    return render(
        request,
        "frontend/facilitate/confirm.html",
        {
            "title": title,
            "question": question,
            "action_url": action_url,
            "button": button,
            "cancel_url": cancel_url,
            "fields": fields,
            "confirm_value": CONFIRMED,
            **page,
        },
    )
