"""Serve each signed-in person in the language they chose, unless they ask for another one."""

from django.utils import translation


class UserLanguageMiddleware:
    """Runs after authentication. `?lang=` and the language switcher (cookie) still win."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        explicit_choice = getattr(request, "explicit_language", False)
        if user is not None and user.is_authenticated and not explicit_choice and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
