"""The facilitator's process-record page: the record itself, channels, questions and targets
(issue 13). One page, one form per concern; each POST calls one service."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from deliberation.access import facilitated_context_or_404
from deliberation.models import Channel, Question
from deliberation.services.process import add_channel, process_record, set_process_record
from deliberation.services.questions import define_question, set_targets
from frontend.forms.process import ChannelForm, QuestionForm, RecordForm, TargetsForm
from frontend.views.facilitate.common import add_errors

FORMS = {"record": RecordForm, "channel": ChannelForm, "question": QuestionForm}


def _record_initial(context) -> dict:
    record = process_record(context)
    return {name: getattr(record, name) for name in RecordForm.base_fields}


def _save(name: str, context, data: dict) -> None:
    if name == "record":
        set_process_record(context=context, **data)
    elif name == "channel":
        add_channel(context=context, **data)
    elif name == "question":
        define_question(
            context=context,
            kind=data["kind"],
            key=data["key"],
            text=data["text"],
            choices=data["choices"],
        )
    else:
        set_targets(question=data["question"], shares=data["share_map"], source=data["source"])


@login_required
def process_setup(request, slug):
    context = facilitated_context_or_404(request.user, slug)
    forms = {
        "record": RecordForm(initial=_record_initial(context)),
        "channel": ChannelForm(),
        "question": QuestionForm(),
        "targets": TargetsForm(context=context),
    }
    status = HTTPStatus.OK
    if request.method == "POST":
        name = request.POST.get("form", "")
        if name not in forms:
            name = "record"
        form = (
            TargetsForm(request.POST, context=context)
            if name == "targets"
            else FORMS[name](request.POST)
        )
        forms[name] = form
        if form.is_valid():
            try:
                _save(name, context, form.cleaned_data)
            except (DomainError, ValidationError) as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("frontend:facilitate-process", slug=context.slug)
        status = HTTPStatus.BAD_REQUEST
    return render(
        request,
        "frontend/process/setup.html",
        {
            "context": context,
            "forms": forms,
            "channels": Channel.objects.filter(context=context),
            "questions": Question.objects.filter(context=context).prefetch_related("choices"),
        },
        status=status,
    )
