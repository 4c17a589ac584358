from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="report-list"),
    path("<int:year>/", views.report_detail, name="report-detail"),
    path("<int:year>/report.pdf", views.report_pdf, name="report-pdf"),
    path("<int:year>/annex.csv", views.report_csv, name="report-csv"),
]
