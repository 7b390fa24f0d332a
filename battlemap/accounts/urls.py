"""User management pages and the user's own API tokens."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/import/", views.user_import, name="user-import"),
    path("users/import/template.xlsx", views.user_import_template, name="user-import-template"),
    path("users/import/passwords.xlsx", views.user_import_passwords, name="user-import-passwords"),
    path("users/<int:pk>/", views.user_detail, name="user"),
    path("users/<int:pk>/assign/", views.user_assign, name="user-assign"),
    path(
        "users/<int:pk>/roles/<int:assignment>/remove/",
        views.user_unassign,
        name="user-unassign",
    ),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user-deactivate"),
    path("users/<int:pk>/activate/", views.user_activate, name="user-activate"),
    path("users/<int:pk>/password/", views.user_password, name="user-password"),
    path("account/password/", views.my_password, name="password"),
    path("account/tokens/", views.my_tokens, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", views.my_token_revoke, name="token-revoke"),
]
