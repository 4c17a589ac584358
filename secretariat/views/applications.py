"""The public membership form (rule M3), its confirmation, and the private status page."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from django_ratelimit.core import is_ratelimited

from common.publicpages import public_page
from members.client_ip import ratelimit_key
from secretariat.forms.applications import ApplicationForm, WithdrawForm, new_form_token
from secretariat.models.applications import Application
from secretariat.selectors import applications as selectors
from secretariat.services import applications as services

RATELIMIT_GROUP = "secretariat.application-form"


def application_rate(group: str, request: HttpRequest) -> str:
    """Posts of the form per client address (RELIABILITY 13); a setting, so tests can lower it."""
    return settings.APPLICATION_RATE_LIMIT


def max_body_bytes() -> int:
    return settings.APPLICATION_MAX_BODY_BYTES


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A friendly 429 (also usable as RATELIMIT_VIEW)."""
    return render(request, "429.html", status=429)


@public_page(fresh_inputs={"form_token": new_form_token})
class ApplicationCreateView(FormView):
    template_name = "secretariat/application_form.html"
    form_class = ApplicationForm

    def post(self, request, *args, **kwargs):
        # The key is the client's address as members.client_ip reads it: X-Forwarded-For
        # only from a trusted proxy, so a forged header cannot pick it (RELIABILITY 13).
        if is_ratelimited(
            request,
            group=RATELIMIT_GROUP,
            key=ratelimit_key,
            rate=application_rate,
            method="POST",
            increment=True,
        ):
            return too_many_requests(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_body_bytes():
            return HttpResponseBadRequest(_("The form you sent is too large."))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: ApplicationForm) -> HttpResponse:
        try:
            application, _created = services.submit_application(**form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return redirect("secretariat:application-submitted", token=application.token)


class ApplicationTokenMixin:
    """Find the application by its private token; any other token is a plain 404."""

    def get_application(self) -> Application:
        application = selectors.application_by_token(self.kwargs["token"])
        if application is None:
            raise Http404
        return application


@method_decorator(never_cache, name="dispatch")
class ApplicationSubmittedView(ApplicationTokenMixin, TemplateView):
    template_name = "secretariat/application_submitted.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["application"] = self.get_application()
        context["status_link"] = services.status_link(context["application"])
        return context


@method_decorator(never_cache, name="dispatch")
class ApplicationStatusView(ApplicationTokenMixin, TemplateView):
    template_name = "secretariat/application_status.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.get_application()
        context["application"] = application
        context["events"] = selectors.application_history(application)
        if application.is_open:
            context["withdraw_form"] = kwargs.get("withdraw_form") or WithdrawForm()
        return context

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.withdraw_application(
                    application=application, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:  # no longer open: say why, change nothing
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Your application has been withdrawn."))
            return redirect(application.get_status_url())
        return self.render_to_response(self.get_context_data(withdraw_form=form))
