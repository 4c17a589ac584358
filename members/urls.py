"""Login, logout, password change and reset, in the site's style (templates/registration).

The staff login (the admin's front door) sits under ``staff/``, in the ``two_factor``
namespace that django-two-factor-auth's views reverse.
"""

from django.urls import include, path

from members import views
from members.forms import OutboxPasswordResetForm
from members.views import ThrottledPasswordResetView

staff_login = (
    [
        path("login/", views.StaffLoginView.as_view(), name="login"),
        path("setup/", views.StaffSetupView.as_view(), name="setup"),
        path("setup/qrcode/", views.StaffQRView.as_view(), name="qr"),
        path("setup/complete/", views.EnrolmentCompleteView.as_view(), name="setup_complete"),
    ],
    "two_factor",
)

urlpatterns = [
    path("staff/", include(staff_login)),
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
