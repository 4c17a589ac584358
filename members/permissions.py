"""The ``Secretariat`` group and the helper every app's data migration uses to grant it.

Permissions are normally created after ``migrate`` finishes; a data migration that needs
them calls :func:`grant_model_permissions`, which creates them first.
"""

from collections.abc import Iterable

SECRETARIAT_GROUP = "Secretariat"


def grant_model_permissions(
    apps,
    *,
    app_label: str,
    models: Iterable[str],
    actions: Iterable[str] = ("view", "add", "change"),
    group_name: str = SECRETARIAT_GROUP,
) -> None:
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    # Historical app configs have no models module, which makes create_permissions
    # skip them; pretend for the duration of the call.
    had_module = getattr(app_config, "models_module", None)
    app_config.models_module = True
    try:
        create_permissions(app_config, verbosity=0, apps=apps)
    finally:
        app_config.models_module = had_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    codenames = [f"{action}_{model.lower()}" for model in models for action in actions]
    perms = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    group.permissions.add(*perms)
