from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info


def site(request):
    """The page in each language (for the switcher and hreflang) and its canonical address."""
    path = request.path
    translations = []
    for code, _name in settings.LANGUAGES:
        translated = translate_url(path, code)
        translations.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "path": translated,
                "absolute": settings.SITE_URL + translated,
            }
        )
    query = request.META.get("QUERY_STRING", "")
    return {
        "SITE_URL": settings.SITE_URL,
        "canonical_url": settings.SITE_URL + path,
        "page_translations": translations,
        "query_suffix": f"?{query}" if query else "",
    }
