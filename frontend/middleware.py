"""`?lang=en` on any page switches the language, and remembers it in the language cookie."""

from django.conf import settings

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class QueryStringLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        requested = request.GET.get("lang", "")
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        chosen = requested if requested in SUPPORTED else None
        # LocaleMiddleware (next) reads the cookie; we set the chosen value where it looks.
        if chosen:
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = chosen
        request.explicit_language = bool(chosen) or cookie in SUPPORTED
        response = self.get_response(request)
        # A view that sets the language itself (signup: the language chosen in the form) wins.
        view_chose = settings.LANGUAGE_COOKIE_NAME in response.cookies
        if chosen and chosen != cookie and not view_chose:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                chosen,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
