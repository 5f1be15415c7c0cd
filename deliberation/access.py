"""Who may facilitate what. Objects of other contexts are answered as if they did not exist."""

from django.db.models import QuerySet
from django.http import Http404

from deliberation.models import Context, Conversation


def facilitated_contexts(user) -> QuerySet[Context]:
    if not user.is_authenticated:
        return Context.objects.none()
    if user.is_superuser:
        return Context.objects.all()
    return Context.objects.filter(facilitators=user)


def can_facilitate(user, context: Context) -> bool:
    return facilitated_contexts(user).filter(pk=context.pk).exists()


def facilitated_context_or_404(user, slug: str) -> Context:
    context = facilitated_contexts(user).filter(slug=slug).first()
    if context is None:
        raise Http404
    return context


def facilitated_conversation_or_404(user, public_id: str) -> Conversation:
    conversation = (
        Conversation.objects.select_related("context")
        .filter(public_id=public_id, context__in=facilitated_contexts(user))
        .first()
    )
    if conversation is None:
        raise Http404
    return conversation


def can_create_contexts(user) -> bool:
    """Staff set up new contexts of use (and facilitate them); others facilitate when invited to."""
    return user.is_authenticated and (user.is_staff or user.is_superuser)
