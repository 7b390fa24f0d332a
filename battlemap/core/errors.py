"""Typed errors raised by services: each carries a message a user can act on."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A write was refused; `message` says what is wrong and how to fix it."""

    default_message = _("操作未能完成。")

    def __init__(self, message=None, *, field: str | None = None, value=None):
        self.message = message if message is not None else self.default_message
        self.field = field
        self.value = value
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class ValidationFailed(DomainError):
    """Input does not meet a rule (bad code, bad date, bad ID number...)."""


class NotFound(DomainError):
    """The object does not exist or is not visible to the user: the two are not told apart."""

    default_message = _("对象不存在或无权访问。")


class Conflict(DomainError):
    """The write would break uniqueness or a sequence rule (duplicate ID, bad status order)."""


class StaleWrite(Conflict):
    """Someone else changed the record since it was read."""

    default_message = _("该记录已被他人修改，请刷新后重试。")


class Forbidden(DomainError):
    """The user may see the object but their roles do not grant this action on it."""

    default_message = _("您的角色无权执行此操作。")
