"""Error pages in the site's frame (header with 挂图作战) and in Chinese, saying what
happened and where to go: 400, 403, 404, 500 and a refused form (CSRF). English when the
user switched. Also the small things a first visit meets: /favicon.ico, the admin's name,
the way back from the API docs."""

import pytest
from django.test import Client, RequestFactory

from battlemap.core import error_pages
from tests.personas import county_admin, outsider


def framed(response, status: int, *words: str) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert 'class="topbar"' in html and "挂图作战" in html, "not in the site's frame"
    assert 'id="error-page"' in html
    for word in words:
        assert word in html, word
    assert "返回首页" in html
    return html


@pytest.mark.django_db
def test_404_in_chinese_in_the_frame(client):
    framed(client.get("/no-such-page/"), 404, "页面不存在")


@pytest.mark.django_db
def test_404_of_a_logged_in_user_keeps_their_menu(client):
    client.force_login(outsider())
    html = framed(client.get("/no-such-page/"), 404, "页面不存在")
    assert "退出" in html


@pytest.mark.django_db
def test_403_in_chinese_in_the_frame(client):
    client.force_login(outsider())
    framed(client.get("/audit/"), 403, "没有权限", "县级管理员")


@pytest.mark.django_db
def test_400_in_chinese_in_the_frame(client):
    # A host the site does not serve is a SuspiciousOperation: Django answers 400.
    framed(client.get("/login/", HTTP_HOST="evil.example"), 400, "请求有误")


@pytest.mark.django_db
def test_csrf_failure_in_chinese_in_the_frame():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "a", "password": "b"})
    framed(response, 403, "页面已过期", "刷新后重新提交")


def test_500_needs_neither_the_database_nor_a_user():
    # No django_db mark: any query here raises, so the page must render without one.
    request = RequestFactory().get("/anything/")
    response = error_pages.server_error(request)
    framed(response, 500, "系统出错", "服务器日志")


def test_500_is_the_site_handler():
    from battlemap import urls

    assert urls.handler500 == "battlemap.core.error_pages.server_error"


@pytest.mark.django_db
def test_error_pages_in_english_when_switched(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_favicon_ico_answers(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.svg")


@pytest.mark.django_db
def test_admin_is_branded(client, county):
    client.force_login(county_admin(county.county, staff=True))
    html = client.get("/admin/").content.decode()
    assert "挂图作战 管理" in html
    assert "Django 管理" not in html


@pytest.mark.django_db
def test_api_docs_link_back_to_the_app(client, county):
    client.force_login(county_admin(county.county))
    html = client.get("/api/v1/docs/").content.decode()
    assert 'class="api-back"' in html and 'href="/"' in html
