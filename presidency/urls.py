from django.urls import path

from presidency import views

app_name = "presidency"

urlpatterns = [
    path("", views.TimelineView.as_view(), name="timeline"),
    path("summits/<int:year>/", views.SummitDetailView.as_view(), name="summit-detail"),
]
