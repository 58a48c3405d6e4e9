"""The admin, one module per concern.

Django's admin autodiscovery imports ``resources.admin``: these imports register every
ModelAdmin (the one exception to empty package ``__init__`` files, with models/).
"""

from . import resources, support, topics  # noqa: F401
