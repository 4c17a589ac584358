"""Rendered admin change lists, kept under an *admin data version* — never stale.

A change list is the same page for as long as no row anywhere changes: every model write
in the project (save, delete, many-to-many change; sessions, login attempts, beat's
schedule and the admin's log excepted) bumps the admin version — at once outside a
transaction, and when it commits inside one (once, however many rows it writes); writes
that send no signal (``QuerySet.update()``, ``bulk_create``) call ``rows_changed()``
themselves. Other connections cannot see a transaction's rows before its commit, so only a
change list read *within* the writing transaction needs a bump sooner: the read makes it.
It is a version of its own, so that mail going out does not flush the public pages
(``members.publiccache`` keeps theirs).

A page is kept per user and per set of permissions (what they may do changes the page:
actions, links, columns), language, host, full path and day (date filters count from
today). Only GET requests with no message waiting, and 200 template responses that set no
cookie, left no message and touched no session are kept. The CSRF tokens in the page are
holes refilled with the visitor's own token. The view-permission check runs on every hit;
the login and second-factor checks run before, in ``AdminSite.admin_view``.

The admin site (``b40.admin_site``) applies ``cached_changelist`` to our apps' admins:
floor 0 (outbox) cannot import this module, the project level can.
"""

import hashlib
import logging
import uuid
from collections.abc import Callable
from functools import wraps

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone, translation

from members import publiccache
from outbox.signals import mails_queued

VERSION_KEY = "b40:admin:version"
PAGE_PREFIX = "b40:admin:page:"
KEPT_HEADERS = ("Content-Type", "Content-Language")
# Rows that no change list of ours shows, written on logins, lockouts and beat ticks.
UNWATCHED_APPS = frozenset({"sessions", "axes", "django_celery_beat", "admin"})
logger = logging.getLogger(__name__)


def bump() -> None:
    """A new admin version: every stored change list is out of date from now on.

    A cache error does not fail the write that asked for it (a mail already sent must be
    recorded as sent): it is logged, and a list may then be stale for ``seconds()`` at most.
    """
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.exception("the admin's data version could not be bumped")


def rows_changed(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Rows changed: bump now outside a transaction, else when it commits (once).

    The transaction's own later reads of a change list bump first (``_bump_for_own_writes``):
    until the commit, nobody else can see these rows, so nobody else needs the bump sooner.
    """
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        bump()
        return
    connection.b40_admin_rows_unseen = True
    if not publiccache.scheduled_on_commit(bump, connection):
        transaction.on_commit(bump, using=using, robust=True)


def _bump_for_own_writes(using: str = DEFAULT_DB_ALIAS) -> None:
    """Before a change list is read inside a transaction that changed rows since its last
    read: a new version, so that the list shows them (tests, ``ATOMIC_REQUESTS``)."""
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and getattr(connection, "b40_admin_rows_unseen", False):
        connection.b40_admin_rows_unseen = False
        bump()


def _model_changed(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    if not kwargs.get("action", "post_").startswith("pre_"):  # m2m: post_ follows pre_
        rows_changed(using=using)


def connect() -> None:
    """Bump on the writes of every model but the unwatched (from ``MembersConfig.ready()``).

    Per model rather than one receiver for all senders: a model with no receiver keeps
    Django's fast delete (``clearsessions`` deletes sessions in one query).
    """
    for model in apps.get_models():
        if model._meta.app_label in UNWATCHED_APPS:
            continue
        uid = f"admincache:{model._meta.label}"
        post_save.connect(_model_changed, sender=model, dispatch_uid=f"{uid}:save", weak=False)
        post_delete.connect(_model_changed, sender=model, dispatch_uid=f"{uid}:delete", weak=False)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _model_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}:{field.name}",
                weak=False,
            )
    # the outbox records mails in one insert, which sends no post_save
    mails_queued.connect(_model_changed, dispatch_uid="admincache:outbox.mails", weak=False)


def _messages_waiting(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0  # len() does not mark them as seen


def _permissions(request: HttpRequest, found: dict, version: str) -> frozenset:
    """The user's permissions, kept under the admin version (a change to a permission, a
    group or a user bumps it), and put where ``ModelBackend`` looks before it queries."""
    user = request.user
    entry = found.get(_permissions_key(user.pk))
    if entry is not None and entry["version"] == version:
        permissions = frozenset(entry["permissions"])
        if not hasattr(user, "_perm_cache"):
            user._perm_cache = set(permissions)  # ModelBackend's own cache on the user
        return permissions
    permissions = frozenset(user.get_all_permissions())
    cache.set(
        _permissions_key(user.pk),
        {"version": version, "permissions": sorted(permissions)},
        timeout=publiccache.seconds(),
    )
    return permissions


def _permissions_key(user_pk) -> str:
    return f"{PAGE_PREFIX}permissions:{user_pk}"


def _page_key(request: HttpRequest, permissions: frozenset) -> str:
    user = request.user
    raw = "|".join(
        (
            str(user.pk),
            str(user.is_superuser),
            hashlib.sha256(",".join(sorted(permissions)).encode()).hexdigest(),
            translation.get_language() or "",
            request.get_host(),
            request.get_full_path(),
            timezone.localdate().isoformat(),
        )
    )
    return PAGE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def cached_changelist(model_admin, view: Callable) -> Callable:
    """Wrap a ModelAdmin's ``changelist_view`` (inside ``admin_view``) with the cache."""

    @wraps(view)
    def changelist_view(request: HttpRequest, extra_context=None):
        if (
            publiccache.seconds() <= 0
            or request.method != "GET"
            or extra_context
            or _messages_waiting(request)
        ):
            return view(request, extra_context)
        try:
            _bump_for_own_writes()
            found = cache.get_many([VERSION_KEY, _permissions_key(request.user.pk)])
            version = publiccache.current_version(found, VERSION_KEY)
            permissions = _permissions(request, found, version)
        except Exception:  # the cache is down: the admin still works, uncached
            logger.exception("the admin's cache could not be read")
            return view(request, extra_context)
        if not model_admin.has_view_or_change_permission(request):
            raise PermissionDenied  # as the view itself does, before it reads a row
        key = _page_key(request, permissions)
        entry = cache.get_many([key]).get(key)
        if entry is not None and entry["version"] == version:
            response = HttpResponse(publiccache.fill_holes(request, entry["content"], {}))
            for name, value in entry["headers"]:
                response[name] = value
            return response

        # The version was read before the rows: a write meanwhile leaves this entry unused.
        response = view(request, extra_context)
        if not isinstance(response, TemplateResponse):
            return response
        response.render()
        if not publiccache.same_for_everyone(request, response, holes=True, csrf_cookie=True):
            return response
        # Every change list has the logout form: its token must become a hole.
        content = publiccache.punch_holes(request, response.content, {}, csrf=True)
        if content is not None:
            entry = {
                "version": version,
                "headers": [(h, response[h]) for h in KEPT_HEADERS if response.has_header(h)],
                "content": content,
            }
            cache.set(key, entry, timeout=publiccache.seconds())
        return response

    return changelist_view
