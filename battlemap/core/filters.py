"""The base of every FilterSet: filters that name an object offer only what the user sees.

A choice filter (`?household=<id>`, `?parent=<code>`) checks its value against a queryset.
Against the whole table, an id outside the user's scope is a valid choice (200, no rows)
while an unknown one is not (400): the difference tells that the object exists. Limited to
`visible_to(user)`, both are unknown and answer alike, body included.
"""

import django_filters
from django_filters.filters import QuerySetRequestMixin


class ScopedFilterSet(django_filters.FilterSet):
    """A FilterSet whose object filters choose among what the request's user may see
    (models without `visible_to`, such as code tables, are not scoped and stay whole)."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = getattr(request, "user", None)
        for flt in self.filters.values():
            if isinstance(flt, QuerySetRequestMixin):
                choices = flt.get_queryset(request)
                if hasattr(choices, "visible_to"):
                    # Without a request there is no user: nothing is visible.
                    flt.queryset = choices.visible_to(user)
