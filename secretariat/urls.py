from django.urls import path

from secretariat.views import applications as application_views
from secretariat.views import public as views
from secretariat.views import workspace as workspace_views

app_name = "secretariat"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("language/<str:code>/", views.switch_language, name="language"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("declaration/", views.DeclarationView.as_view(), name="declaration"),
    path("cities/", views.CityListView.as_view(), name="city-list"),
    path("cities/<slug:slug>/", views.CityDetailView.as_view(), name="city-detail"),
    path("my-city/", views.DashboardView.as_view(), name="dashboard"),
    path("apply/", application_views.ApplicationCreateView.as_view(), name="application-create"),
    path(
        "apply/sent/<str:token>/",
        application_views.ApplicationSubmittedView.as_view(),
        name="application-submitted",
    ),
    path(
        "apply/status/<str:token>/",
        application_views.ApplicationStatusView.as_view(),
        name="application-status",
    ),
    # The workspace: news, recommendations, and the dashboard's doors.
    path("news/", workspace_views.NewsListView.as_view(), name="news-list"),
    path(
        "recommendations/",
        workspace_views.RecommendationListView.as_view(),
        name="recommendation-list",
    ),
    path(
        "recommendations/<int:year>/<int:number>/",
        workspace_views.RecommendationDetailView.as_view(),
        name="recommendation-detail",
    ),
    path(
        "my-city/recommendations/<int:pk>/follow-up/",
        workspace_views.FollowUpView.as_view(),
        name="followup-edit",
    ),
    path("my-city/people/add/", workspace_views.ContactAddView.as_view(), name="person-add"),
    path(
        "my-city/people/<int:pk>/edit/",
        workspace_views.PersonUpdateView.as_view(),
        name="person-edit",
    ),
    path(
        "my-city/people/<int:pk>/end/", workspace_views.PersonEndView.as_view(), name="person-end"
    ),
    path("my-city/goals/propose/", workspace_views.GoalProposeView.as_view(), name="goal-propose"),
    path(
        "my-city/announcements/new/",
        workspace_views.PresidentAnnouncementView.as_view(),
        name="announcement-add",
    ),
    path(
        "my-city/goals/<int:pk>/agree/", workspace_views.GoalAgreeView.as_view(), name="goal-agree"
    ),
]
