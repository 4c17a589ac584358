from django.urls import path

from presidency import views

app_name = "presidency"

urlpatterns = [
    path("", views.TimelineView.as_view(), name="timeline"),
    path("summits/<int:year>/", views.SummitDetailView.as_view(), name="summit-detail"),
    path("summits/<int:year>/lodging/", views.LodgingView.as_view(), name="summit-lodging"),
    path(
        "summits/<int:year>/candidacy/",
        views.CandidacySubmitView.as_view(),
        name="candidacy-submit",
    ),
    path(
        "summits/<int:year>/propose/",
        views.CandidacyProposeView.as_view(),
        name="candidacy-propose",
    ),
    path(
        "candidacies/<int:pk>/<str:action>/",
        views.CandidacyActionView.as_view(),
        name="candidacy-action",
    ),
    path(
        "summits/<int:year>/delegation/",
        views.DelegationRegisterView.as_view(),
        name="delegation-register",
    ),
    path("summits/<int:year>/vote/", views.BallotView.as_view(), name="ballot-cast"),
    path(
        "summits/<int:year>/rounds/<int:number>/board/",
        views.RoundBoardView.as_view(),
        name="round-board",
    ),
    path(
        "summits/<int:year>/rounds/<int:number>/board.json",
        views.round_board_json,
        name="round-board-json",
    ),
    path("ballots/check/", views.BallotCheckView.as_view(), name="ballot-check"),
]
