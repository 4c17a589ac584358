import re

from django.core import mail as django_mail

from members.models import City, User


def test_secretariat_invites_a_mayor_who_then_sets_a_password(
    secretariat_client, client, django_capture_on_commit_callbacks
):
    city = City.objects.get(slug="skopje")
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            "/admin/members/user/add/",
            {
                "username": "mayor.skopje",
                "email": "mayor@skopje.example",
                "first_name": "Ana",
                "last_name": "Test",
                "city": city.pk,
                "city_role": "mayor",
                "usable_password": "false",
                "password1": "",
                "password2": "",
            },
        )
    assert response.status_code == 302, response.content
    user = User.objects.get(username="mayor.skopje")
    assert user.city == city and not user.has_usable_password()
    assert len(django_mail.outbox) == 1
    link = re.search(r"http://\S+/reset/\S+/", django_mail.outbox[0].body).group(0)
    path = link.split("8000", 1)[-1] if "8000" in link else link
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "A-new-strong-pw-42", "new_password2": "A-new-strong-pw-42"}
    )
    assert response.status_code == 302
    assert client.login(username="mayor.skopje", password="A-new-strong-pw-42")


def test_city_role_without_city_is_refused(secretariat_client):
    response = secretariat_client.post(
        "/admin/members/user/add/",
        {
            "username": "x",
            "email": "x@example.org",
            "city_role": "mayor",
            "usable_password": "false",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="x").exists()
