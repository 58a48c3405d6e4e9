"""Null characters in an address: never meaningful here, and PostgreSQL refuses them.

Without this, a ``%00`` in a query string that reaches the database (the admin's search
box, an API filter, the topic suggestions) is a 500 on PostgreSQL and works on SQLite.
"""

from django.http import Http404, QueryDict

NUL = "\x00"


class NullCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info:
            raise Http404("No page has a null character in its address.")
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or NUL in query:
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace(NUL, ""), [v.replace(NUL, "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
