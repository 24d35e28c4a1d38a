import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

# Page-cache hits are answered before Django's handler runs (profiles.pagecache_wsgi).
from profiles.pagecache_wsgi import CachedPagesApp  # noqa: E402  (needs Django set up)

application = CachedPagesApp(django_application)
