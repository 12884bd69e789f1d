"""The WSGI application (gunicorn `config.wsgi:application`)."""

import atexit
import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# What is loaded by now lives as long as the process. Frozen, the garbage collector stops
# walking it on every full collection: a full collection of a loaded process took about
# 140 ms, every request in the process waiting (decision 0018). Thawed at exit, so that
# the interpreter's last collection still runs over it.
gc.collect()
gc.freeze()
atexit.register(gc.unfreeze)
