import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
application = get_wsgi_application()

# Every save stores the page's reading grade; loading the pronunciation dictionary behind
# it takes about two seconds. A web worker does that once as it starts, not on the first
# moderator's save.
from resources.content import readability  # noqa: E402

readability.grade("Ready.")
