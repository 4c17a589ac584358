"""django-simple-history's ``HistoricalRecords``, with its manager class built once.

simple_history builds a new manager class (``from_queryset``: a ``type()`` and an
``inspect.getmembers`` over the queryset class) every time ``instance.history`` is read — and
it reads it on every audited save to find the historical model: about a tenth of a
millisecond per write, paid by every form that saves (the public form's post first). Every
audited model of the portal declares its history with this class instead.
"""

import functools

from simple_history import manager, models


class HistoryManager(manager.HistoryManager):
    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


class HistoricalRecords(models.HistoricalRecords):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("history_manager", HistoryManager)
        super().__init__(*args, **kwargs)
