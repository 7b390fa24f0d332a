"""The audit trail in words: actors, objects, fields and values as people read them.

Nothing here is a list per field. A record's keys are resolved from the audited object's
model: its own fields, or those of the related model whose fields the record's keys fit
best (a payment recorded on its project names the payment's fields); a choice value
shows its label, a reference names the object (linked where the reader may see it).
Keys that are no model field (a snapshot's derived values) are declared by the app
that writes them with `audit_term`, with their words and, where needed, how to show
their values.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Term:
    """Words for a snapshot key that is no model field, and how to show its value."""

    label: object  # a lazy translation
    show: Callable | None = None  # (value, reader) -> text or safe HTML


TERMS: dict[tuple[str, str], Term] = {}


def audit_term(object_type: str, key: str, label, show: Callable | None = None) -> None:
    """Declare a snapshot key of `object_type` records ("" for every type)."""
    TERMS[(object_type, key)] = Term(label, show)


def actor_name(label: str, user=None, *, system: bool = False) -> str:
    """Who acted, in words: a person by name and login, a system actor by what it is
    (`system`: the audit trail knows a record without a user is a system actor's)."""
    if user is not None:
        name = getattr(user, "first_name", "")
        username = user.get_username()
        return f"{name}（{username}）" if name else username
    kind, _sep, name = label.partition(":")
    if kind == "command" and name == "demo":
        return _("系统（演示数据）")
    if kind == "command":
        return _("系统（命令 %(n)s）") % {"n": name}
    if kind == "job":
        return _("系统（定时任务 %(n)s）") % {"n": name}
    if label == "login":
        return _("系统（登录保护）")
    if label in ("system", ""):
        return _("系统")
    if _sep or system:
        return _("系统（%(n)s）") % {"n": label}
    return label  # a person's login, where only the name was kept (bulletins)


def model_of(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = model_of(object_type)
    return str(model._meta.verbose_name) if model else object_type


def _related_models(model) -> list:
    related = [
        rel.related_model
        for rel in model._meta.related_objects
        if rel.one_to_many or rel.one_to_one
    ]
    related += [f.related_model for f in model._meta.fields if f.is_relation]
    seen, out = set(), []
    for m in related:
        if m is not None and m not in seen and m is not model:
            seen.add(m)
            out.append(m)
    return out


def _field(model, key: str):
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
        return field if isinstance(field, Field) else None  # not a reverse relation
    except FieldDoesNotExist:
        for f in model._meta.concrete_fields:
            if f.attname == key:
                return f
    return None


class Reader:
    """Resolves one page of records for one reader, naming objects once each."""

    def __init__(self, user):
        self.user = user
        self._names: dict[tuple, object] = {}

    # --- objects ------------------------------------------------------------------------

    def _visible(self, model):
        manager = model._default_manager
        queryset = manager.all()
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(self.user)
        return queryset

    def _lookup(self, model, pks: list) -> dict:
        missing = [pk for pk in pks if (model, pk) not in self._names]
        if missing:
            found = {}
            try:
                found = self._visible(model).in_bulk([pk for pk in missing if pk is not None])
            except (ValueError, TypeError):
                found = {}
            found = {str(k): v for k, v in found.items()}
            for pk in missing:
                self._names[(model, pk)] = found.get(str(pk))
        return {pk: self._names[(model, pk)] for pk in pks}

    def name(self, model, pk):
        """The object named, linked where it has a page; a mark where the reader may not
        see it (never another region's name)."""
        if pk in (None, ""):
            return "—"
        obj = self._lookup(model, [pk])[pk]
        if obj is None and isinstance(pk, str) and not pk.isdigit():
            return pk  # the snapshot kept the object's own words (a code's label, a number)
        if obj is None:
            return _("（无权查看或已删除）")
        if model is get_user_model():
            return actor_name("", obj)
        url = getattr(obj, "get_absolute_url", None)
        return format_html('<a href="{}">{}</a>', url(), obj) if url else str(obj)

    def object(self, record):
        """The record's object: its kind in words and, where there is one, its name."""
        model = model_of(record.object_type)
        kind = object_type_label(record.object_type)
        if model is None or not record.object_id:
            return kind
        return format_html("{} {}", kind, self.name(model, record.object_id))

    def region(self, code: str):
        """The record's region by name (its code where the reader may not see it)."""
        if not code:
            return "—"
        region = model_of("regions.region")
        obj = self._lookup(region, [code])[code] if region else None
        return obj.name if obj is not None else code

    # --- fields -------------------------------------------------------------------------

    def _home(self, model, keys) -> list:
        """The audited model and its related models, the one whose fields fit the
        record's keys best first (a payment recorded on its project: the payment)."""
        if model is None:
            return []
        candidates = [model, *_related_models(model)]
        return sorted(
            candidates,
            key=lambda m: -sum(1 for k in keys if _field(m, k) is not None),
        )

    def _choice_key(self, models_, key):
        """A key that is a choice value of a field (e.g. 认定 and 出列 dates): its label."""
        for m in models_:
            for f in m._meta.concrete_fields:
                if f.choices and key in dict(f.flatchoices):
                    return dict(f.flatchoices)[key]
        return None

    def label(self, record, models_, key) -> str:
        term = TERMS.get((record.object_type, key)) or TERMS.get(("", key))
        if term is not None:
            return str(term.label)
        for m in models_:
            f = _field(m, key)
            if f is not None:
                if f.is_relation and f.related_model and f.verbose_name == f.name.replace("_", " "):
                    # A reference without its own words: named as what it refers to.
                    return str(f.related_model._meta.verbose_name)
                return str(f.verbose_name)
        choice = self._choice_key(models_, key)
        return str(choice) if choice is not None else key

    def value(self, record, models_, key, value):
        if value is None:
            return "—"
        term = TERMS.get((record.object_type, key)) or TERMS.get(("", key))
        if term is not None and term.show is not None:
            return term.show(value, self)
        f = next((_field(m, key) for m in models_ if _field(m, key) is not None), None)
        if f is not None and f.is_relation and f.related_model is not None:
            values = value if isinstance(value, list) else [value]
            names = [self.name(f.related_model, v) for v in values]
            return format_html_join("、", "{}", ((n,) for n in names)) if names else "—"
        if f is not None and f.choices:
            choices = dict(f.flatchoices)
            if isinstance(value, list):
                return "、".join(str(choices.get(v, v)) for v in value)
            return str(choices.get(value, value))
        return shown(value)

    def changes(self, record) -> list[dict]:
        """Each field of the record's before and after states, in words, and whether it
        changed. A state that is not a dict of fields (a count, a list) is shown whole."""
        before, after = record.before, record.after
        if not all(isinstance(state, (dict, type(None))) for state in (before, after)):
            return [{"field": "", "before": shown(before), "after": shown(after), "changed": True}]
        old, new = before or {}, after or {}
        keys = [*old, *(k for k in new if k not in old)]
        models_ = self._home(model_of(record.object_type), keys)
        return [
            {
                "field": self.label(record, models_, key),
                "before": self.value(record, models_, key, old.get(key))
                if before is not None
                else "",
                "after": self.value(record, models_, key, new.get(key))
                if after is not None
                else "",
                "changed": old.get(key) != new.get(key),
            }
            for key in keys
        ]


def shown(value) -> str:
    """A plain value in words: yes/no, numbers grouped, lists joined, dicts as pairs."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    if isinstance(value, float):
        return number_format(round(value, 4), force_grouping=True)
    if isinstance(value, list):
        return "、".join(shown(v) for v in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{k}：{shown(v)}" for k, v in value.items())
    return str(value)
