from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class SchoolLocaleMiddleware(LocaleMiddleware):
    """Russian unless the user chose otherwise (the language cookie set by the switcher).

    The browser's Accept-Language is ignored on purpose: a Russian school's journal speaks Russian on a phone
    bought abroad too, and a family that wants English picks it once.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
