"""The error pages (400, 403, 404, 500, CSRF failure) in the site's frame and language.

Django's own pages are bare English text; a county official who meets one must read, in
Chinese, what happened and where to go next. The 500 page is rendered without the request
context: whatever broke (the database, the session) must not break the page that says so.
"""

from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _

PAGES = {
    400: (
        _("请求有误"),
        _(
            "页面收到的请求不完整或格式不对，无法处理。请返回上一页重新操作；如果是从收藏的链接进入，请从首页重新进入。"
        ),
    ),
    403: (
        _("没有权限"),
        _("您的账户没有查看或办理这一项的权限。如需要，请联系县级管理员为您分配相应角色和区划。"),
    ),
    404: (
        _("页面不存在"),
        _("您要找的页面或记录不存在，或不在您的账户可查看的区划内。请检查地址，或从首页重新进入。"),
    ),
    500: (
        _("系统出错"),
        _(
            "系统处理时出错，错误已记入服务器日志。请稍后再试；如果一再出现，请告知系统管理员出错的时间和页面地址。"
        ),
    ),
}
CSRF_PAGE = (
    _("页面已过期"),
    _(
        "为了安全，表单须从本站页面提交，且登录状态有效。页面可能已打开太久或您已退出登录：请返回上一页，刷新后重新提交。"
    ),
)


def _render(request, status: int, title, message, *, with_request: bool = True) -> HttpResponse:
    context = {"status": status, "error_title": title, "error_message": message}
    template = loader.get_template("errors/error.html")
    body = template.render(context, request if with_request else None)
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return _render(request, 400, *PAGES[400])


def permission_denied(request, exception=None):
    return _render(request, 403, *PAGES[403])


def page_not_found(request, exception=None):
    return _render(request, 404, *PAGES[404])


def server_error(request):
    return _render(request, 500, *PAGES[500], with_request=False)


def csrf_failure(request, reason=""):
    return _render(request, 403, *CSRF_PAGE)
