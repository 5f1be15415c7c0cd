"""Who took part: the facilitator's representativeness report and its public summary (issue 13).

The facilitator sees every count; the public summary suppresses cells under the context's k.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from deliberation.access import can_facilitate, facilitated_context_or_404
from deliberation.models import Context, ScreeningTally
from deliberation.services.process import channel_counts, process_record
from deliberation.services.representativeness import report
from frontend.presenters.shares import share_chart

T = "frontend/process/"


def _page(request, context: Context, *, public: bool):
    data = report(context=context, public=public)
    for question in data["questions"]:
        question["chart"] = share_chart(question, weighted=bool(data["weighting"]["margins"]))
    tallies = ScreeningTally.objects.filter(conversation__context=context)
    return render(
        request,
        T + "report.html",
        {
            "context": context,
            "public": public,
            "record": process_record(context),
            "channels": channel_counts(context),
            "report": data,
            "screened_out": sum(t.screened_out for t in tallies),
            "screened_in": sum(t.eligible for t in tallies),
        },
    )


@login_required
def representativeness(request, slug):
    return _page(request, facilitated_context_or_404(request.user, slug), public=False)


def who_took_part(request, slug):
    context = get_object_or_404(Context, slug=slug)
    if not context.is_public and not can_facilitate(request.user, context):
        raise Http404
    return _page(request, context, public=True)
