"""The UI is Simplified Chinese unless the user switches, whatever the browser asks for."""

import pytest


@pytest.mark.django_db
def test_chinese_by_default_even_for_an_english_browser(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert "用户名" in response.content.decode()


@pytest.mark.django_db
def test_switching_to_english_sticks(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"}, follow=True)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert client.get("/login/")["Content-Language"] == "en"
