"""Login, logout, password change and reset, in the site's style (templates/registration)."""

from django.urls import include, path

from members.forms import OutboxPasswordResetForm
from members.views import ThrottledPasswordResetView

urlpatterns = [
    path(
        "password_reset/",
        ThrottledPasswordResetView.as_view(
            form_class=OutboxPasswordResetForm,
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path("", include("django.contrib.auth.urls")),
]
