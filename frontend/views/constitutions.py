"""Constitution pages: facilitators compile, curate and publish; everyone reads what was published.

Views parse and validate, then call one service; every refusal is shown on the page with a 4xx.
Drafts and everything of the facilitation area exist only for the facilitators of their context
(404 for anyone else); published versions of public contexts are for everyone.
"""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from constitutions import forms
from constitutions.diff import diff_documents
from constitutions.models import (
    Constitution,
    ConstitutionVersion,
    Part,
    WebhookSubscriber,
)
from constitutions.renderers import FORMATS
from constitutions.renderers.canonical import build_document, stored_document
from constitutions.rules import SelectionRule
from constitutions.services import curation, scenarios
from constitutions.services.compile import compile_draft, discard_draft
from constitutions.services.publishing import latest_published, publish_version, suggest_next_number
from constitutions.services.webhooks import add_subscriber, remove_subscriber
from core.errors import DomainError
from deliberation.access import can_facilitate, facilitated_context_or_404
from deliberation.models import Context
from frontend.presenters.adherence import with_adherence
from frontend.presenters.groups import Bar, group_name
from frontend.presenters.scenarios import pending_proposals, with_scenario_texts
from frontend.views.facilitate.common import action, add_errors, confirm_page, confirmed
from frontend.views.process_constitution import draft_process

T = "frontend/constitutions/"
# What each step says when it is done (django.contrib.messages), so nothing happens silently.
DONE = {
    "reword": gettext_lazy("The principle is reworded."),
    "requests": gettext_lazy("The critique and revision requests are saved."),
    "categorise": gettext_lazy("The category is saved."),
    "move": gettext_lazy("The principle is moved."),
    "drop": gettext_lazy(
        "The principle is dropped: it stays listed under “Dropped”, and can be restored."
    ),
    "restore": gettext_lazy("The principle is restored."),
    "scenario": gettext_lazy("The scenario is added."),
}
PRINCIPLE_ACTIONS = {
    "reword": (forms.RewordForm, curation.reword_principle),
    "requests": (forms.RequestsForm, curation.set_requests),
    "categorise": (forms.CategoryForm, curation.categorise_principle),
    "move": (forms.MoveForm, curation.move_principle),
    "drop": (forms.DropForm, curation.drop_principle),
    "restore": (None, curation.restore_principle),
    "scenario": (forms.ScenarioForm, scenarios.add_scenario),
}


def _refusal(error) -> str:
    return error.message if isinstance(error, DomainError) else " ".join(error.messages)


def _with_bars(document: dict) -> dict:
    """Add vote bars (per group, then everyone) to every source of every principle."""
    for key in ("consensus_principles", "group_principles", "contested_statements"):
        for principle in document[key]:
            if principle.get("group") is not None:
                principle["group_name"] = group_name(principle["group"])
            for source in principle["sources"]:
                votes = source["votes"]
                source["bars"] = [
                    Bar(
                        group_name(g["group"]),
                        g["agree"],
                        g["disagree"],
                        g["pass"],
                        g["agree"] + g["disagree"] + g["pass"],
                    )
                    for g in source["groups"]
                ] + [
                    Bar(
                        _("Everyone"),
                        votes["agree"],
                        votes["disagree"],
                        votes["pass"],
                        votes["total"],
                    )
                ]
            for position in principle.get("positions", []):
                position["name"] = group_name(position["group"])
    return document


def _draft(request, slug, version_id):
    context = facilitated_context_or_404(request.user, slug)
    version = get_object_or_404(
        ConstitutionVersion, pk=version_id, constitution__context=context, published_at__isnull=True
    )
    return context, version


# --- Facilitators -----------------------------------------------------------------------------


def _overview(request, context, compile_form=None, webhook_form=None, status=HTTPStatus.OK):
    constitution = Constitution.objects.filter(context=context).first()
    versions = constitution.versions.select_related("created_by") if constitution else []
    analysed = context.conversations.filter(snapshots__isnull=False).distinct()
    return render(
        request,
        T + "facilitate.html",
        {
            "context": context,
            "drafts": [v for v in versions if not v.is_published],
            "published": [v for v in versions if v.is_published],
            "compile_form": compile_form or forms.CompileForm(conversations=analysed),
            "webhook_form": webhook_form or forms.WebhookForm(),
            "webhooks": context.webhooks.prefetch_related("deliveries"),
        },
        status=status,
    )


@login_required
def facilitate(request, slug):
    return _overview(request, facilitated_context_or_404(request.user, slug))


@action
def compile_view(request, slug):
    context = facilitated_context_or_404(request.user, slug)
    analysed = context.conversations.filter(snapshots__isnull=False).distinct()
    form = forms.CompileForm(request.POST, conversations=analysed)
    if form.is_valid():
        try:
            version = compile_draft(
                context=context,
                actor=request.user,
                conversation_ids=[c.pk for c in form.cleaned_data["conversations"]],
                rule=SelectionRule(
                    rule=form.cleaned_data["rule"],
                    threshold=form.cleaned_data["threshold"],
                    min_votes_per_group=form.cleaned_data["min_votes_per_group"],
                ),
            )
        except (DomainError, ValidationError) as error:
            add_errors(form, error)
        else:
            return redirect("frontend:constitution-draft", slug=slug, version_id=version.pk)
    return _overview(request, context, compile_form=form, status=HTTPStatus.BAD_REQUEST)


def _draft_page(
    request, context, version, *, status=HTTPStatus.OK, merge_form=None, publish_form=None
):
    principles = list(
        version.principles.prefetch_related("sources", "steps").order_by("part", "position", "id")
    )
    document = with_scenario_texts(_with_bars(build_document(version)))
    cards = {
        p["id"]: p
        for key in ("consensus_principles", "group_principles", "contested_statements")
        for p in document[key]
    }
    parts = [
        (label, [(p, cards.get(p.pk)) for p in principles if p.part == part and not p.is_dropped])
        for part, label in Part.choices
    ]
    mergeable = [p for p in principles if not p.is_dropped and p.part != Part.CONTESTED]
    parent = latest_published(version.constitution_id)
    return render(
        request,
        T + "draft.html",
        {
            "context": context,
            "version": version,
            "parts": parts,
            "dropped": [p for p in principles if p.is_dropped],
            "merge_form": merge_form or forms.MergeForm(principles=mergeable),
            "publish_form": publish_form
            or forms.PublishForm(initial={"number": suggest_next_number(version.constitution_id)}),
            "parent": parent,
            "proposals": pending_proposals(version),
            **draft_process(version),
            "diff": diff_documents(stored_document(parent), {**document, "version": _("draft")})
            if parent
            else None,
        },
        status=status,
    )


@login_required
def draft(request, slug, version_id):
    context, version = _draft(request, slug, version_id)
    return _draft_page(request, context, version)


@action
def principle_action(request, slug, version_id, principle_id, name):
    context, version = _draft(request, slug, version_id)
    principle = get_object_or_404(version.principles, pk=principle_id)
    if name not in PRINCIPLE_ACTIONS:
        raise Http404
    form_class, service = PRINCIPLE_ACTIONS[name]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _draft_page(request, context, version, status=HTTPStatus.BAD_REQUEST)
    try:
        service(principle=principle, actor=request.user, **(form.cleaned_data if form else {}))
    except (DomainError, ValidationError) as error:
        messages.error(request, _refusal(error))
        return _draft_page(request, context, version, status=HTTPStatus.BAD_REQUEST)
    messages.success(request, DONE[name])
    return redirect(
        reverse("frontend:constitution-draft", args=[slug, version.pk])
        + f"#principle-{principle.pk}"
    )


@action
def merge(request, slug, version_id):
    context, version = _draft(request, slug, version_id)
    mergeable = version.principles.filter(is_dropped=False).exclude(part=Part.CONTESTED)
    form = forms.MergeForm(request.POST, principles=mergeable)
    if form.is_valid():
        try:
            merged = curation.merge_principles(
                version=version,
                principle_ids=form.cleaned_data["principles"],
                actor=request.user,
                text=form.cleaned_data["text"],
                reason=form.cleaned_data["reason"],
            )
        except (DomainError, ValidationError) as error:
            add_errors(form, error)
        else:
            count = len(form.cleaned_data["principles"])
            messages.success(
                request,
                ngettext(
                    "%(count)d principle is merged into one.",
                    "%(count)d principles are merged into one.",
                    count,
                )
                % {"count": count},
            )
            return redirect(
                reverse("frontend:constitution-draft", args=[slug, version.pk])
                + f"#principle-{merged.pk}"
            )
    return _draft_page(request, context, version, merge_form=form, status=HTTPStatus.BAD_REQUEST)


@action
def publish(request, slug, version_id):
    context, version = _draft(request, slug, version_id)
    form = forms.PublishForm(request.POST)
    if form.is_valid():
        try:
            version = publish_version(version=version, actor=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Version %(number)s is published.") % {"number": version.number}
            )
            return redirect("frontend:constitution-version", slug=slug, number=version.number)
    return _draft_page(request, context, version, publish_form=form, status=HTTPStatus.BAD_REQUEST)


@action
def discard(request, slug, version_id):
    context, version = _draft(request, slug, version_id)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Discard this draft?"),
            question=_(
                "The draft and every curation step made on it are deleted. Published versions "
                "stay as they are."
            ),
            action_url=request.path,
            button=_("Discard this draft"),
            cancel_url=reverse("frontend:constitution-draft", args=[slug, version.pk]),
            context=context,
        )
    discard_draft(version=version)
    messages.success(request, _("The draft was discarded."))
    return redirect("frontend:constitution-facilitate", slug=slug)


@action
def webhook_add(request, slug):
    context = facilitated_context_or_404(request.user, slug)
    form = forms.WebhookForm(request.POST)
    if form.is_valid():
        try:
            add_subscriber(context=context, actor=request.user, url=form.cleaned_data["url"])
        except DomainError as error:
            add_errors(form, error)
        else:
            return redirect("frontend:constitution-facilitate", slug=slug)
    return _overview(request, context, webhook_form=form, status=HTTPStatus.BAD_REQUEST)


@action
def webhook_remove(request, slug, subscriber_id):
    context = facilitated_context_or_404(request.user, slug)
    remove_subscriber(
        subscriber=get_object_or_404(WebhookSubscriber, pk=subscriber_id, context=context)
    )
    return redirect("frontend:constitution-facilitate", slug=slug)


# --- Everyone ---------------------------------------------------------------------------------


def _public_context(request, slug) -> Context:
    context = get_object_or_404(Context, slug=slug)
    if not context.is_public and not can_facilitate(request.user, context):
        raise Http404
    return context


def _published(context):
    return ConstitutionVersion.objects.published().filter(constitution__context=context)


def current(request, slug):
    context = _public_context(request, slug)
    latest = latest_published(getattr(getattr(context, "constitution", None), "pk", None))
    if latest is None:
        return render(request, T + "version.html", {"context": context, "history": []})
    return _version_page(request, context, latest)


def version_page(request, slug, number):
    context = _public_context(request, slug)
    return _version_page(request, context, get_object_or_404(_published(context), number=number))


def _version_page(request, context, version):
    api = reverse("api:version-detail", args=[context.slug, version.number])
    return render(
        request,
        T + "version.html",
        {
            "context": context,
            "version": version,
            "document": with_adherence(_with_bars(stored_document(version)), version),
            "history": _published(context).select_related("parent"),
            "downloads": [(name, f"{api}?format={name}") for name in FORMATS],
            "consumers": version.consumptions.all()[:100],
            "facilitates": can_facilitate(request.user, context),
            "propose": True,
        },
    )


def diff(request, slug, number, other):
    context = _public_context(request, slug)
    old = get_object_or_404(_published(context), number=number)
    new = get_object_or_404(_published(context), number=other)
    return render(
        request,
        T + "diff.html",
        {"context": context, "diff": diff_documents(stored_document(old), stored_document(new))},
    )
