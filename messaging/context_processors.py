"""The unread counter beside "Messages" in the navigation (R-I08): one query, and only when a page shows it."""

from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def unread_messages(request):
    user = getattr(request, "user", None)
    school = getattr(request, "school", None)
    if user is None or not user.is_authenticated or school is None:
        return {}
    return {"unread_messages": SimpleLazyObject(lambda: unread_count(user=user, school=school))}
