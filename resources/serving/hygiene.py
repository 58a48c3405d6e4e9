"""Addresses Django or the database would answer with a 500: cleaned before any view runs.

- Null characters: never meaningful here, and PostgreSQL refuses them. Without this, a
  ``%00`` in a query string that reaches the database (the admin's search box, an API
  filter, the topic suggestions) is a 500 on PostgreSQL and works on SQLite.
- An empty ``_to_field``: Django's admin looks up a field named "" on every change and
  delete page (``?_to_field=``) and fails with FieldDoesNotExist (found by tests/test_fuzz.py
  on PostgreSQL). Empty, it means nothing, so it is dropped.
"""

from django.http import Http404, QueryDict

NUL = "\x00"
DROPPED_WHEN_EMPTY = ("_to_field",)


class NullCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info:
            raise Http404("No page has a null character in its address.")
        query = request.META.get("QUERY_STRING", "")
        empty = [key for key in DROPPED_WHEN_EMPTY if request.GET.get(key, None) == ""]
        if "%00" in query or NUL in query or empty:
            request.GET = cleaned(request.GET, empty)
        return self.get_response(request)


def cleaned(params, dropped):
    result = QueryDict(mutable=True)
    for key, values in params.lists():
        if key not in dropped:
            result.setlist(key.replace(NUL, ""), [v.replace(NUL, "") for v in values])
    result._mutable = False
    return result
