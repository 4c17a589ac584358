"""The admin's form for a new meeting: what is planned, nothing that comes later."""

from django.urls import reverse


def test_the_new_meeting_form_shows_no_state_nor_database_default(secretariat_client):
    html = secretariat_client.get(reverse("admin:workinggroups_meeting_add")).content.decode()
    assert "DatabaseDefault" not in html
    assert 'name="starts_at_0"' in html
    for later in ("Reason for cancelling", "Reminder sent at", "Cancelled by"):
        assert later not in html
