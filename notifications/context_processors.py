"""The bell's number on every page, rendered by the server (pages work without JavaScript)."""

from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def unread_notifications(request) -> dict:
    """`unread_notifications`: the signed-in person's unread count, counted only if a template
    shows it (one indexed COUNT)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user_id=user.pk))}
