from django.contrib.admin.apps import AdminConfig


class B40AdminConfig(AdminConfig):
    """Django's admin with our site (second factor for staff, RELIABILITY 7) as ``admin.site``."""

    default_site = "b40.admin_site.SecretariatAdminSite"
