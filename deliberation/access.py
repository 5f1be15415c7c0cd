"""Who may facilitate what. Objects of other contexts are answered as if they did not exist."""

from django.contrib.auth.models import Permission
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


# The role "may create contexts of use" is Django's own add permission on Context, so it is
# granted like any other: in the admin (a user's or a group's permissions) or with
# `manage.py grant_context_creation USERNAME`. Superusers have every permission.
CREATE_CONTEXTS_PERMISSION = "deliberation.add_context"


def can_create_contexts(user) -> bool:
    """Holders of the role set up new contexts of use (and facilitate them); others facilitate
    when a context's facilitator adds them."""
    return user.is_authenticated and user.has_perm(CREATE_CONTEXTS_PERMISSION)


def grant_context_creation(*, user, granted: bool = True) -> None:
    """Give `user` the role that creates contexts of use, or take it back."""
    permission = Permission.objects.get(
        content_type__app_label="deliberation", codename="add_context"
    )
    if granted:
        user.user_permissions.add(permission)
    else:
        user.user_permissions.remove(permission)
