from django.urls import path

from workinggroups import views

app_name = "workinggroups"

urlpatterns = [
    path("", views.GroupListView.as_view(), name="group-list"),
    path("calendar.ics", views.AllMeetingsFeedView.as_view(), name="feed-all"),
    path("extra-session/", views.RequestExtraSessionView.as_view(), name="request-create"),
    path("propose/", views.ProposeGroupView.as_view(), name="group-propose"),
    path("join/", views.JoinGroupView.as_view(), name="group-join"),
    path("proposals/<int:pk>/approve/", views.ApproveGroupView.as_view(), name="group-approve"),
    path("proposals/<int:pk>/refuse/", views.RefuseGroupView.as_view(), name="group-refuse"),
    path("<slug:slug>/", views.GroupDetailView.as_view(), name="group-detail"),
    path("<slug:slug>/calendar.ics", views.GroupFeedView.as_view(), name="feed-group"),
    path("<slug:slug>/leave/", views.LeaveGroupView.as_view(), name="group-leave"),
]
