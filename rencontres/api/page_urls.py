"""The back-office page of one's API tokens (under the language prefix, beside the others)."""

from django.urls import path

from . import pages, webhook_pages

app_name = "api_pages"
urlpatterns = [
    path("organiser/<int:number>/api-tokens/", pages.tokens, name="tokens"),
    path("organiser/<int:number>/api-tokens/<int:pk>/revoke/", pages.revoke, name="revoke"),
    path("organiser/<int:number>/webhooks/", webhook_pages.subscriptions, name="webhooks"),
    path("organiser/<int:number>/webhooks/<int:pk>/", webhook_pages.subscription, name="webhook"),
    path(
        "organiser/<int:number>/webhooks/<int:pk>/rotate/",
        webhook_pages.rotate,
        name="webhook_rotate",
    ),
    path(
        "organiser/<int:number>/webhooks/<int:pk>/switch/",
        webhook_pages.switch,
        name="webhook_switch",
    ),
    path(
        "organiser/<int:number>/webhooks/<int:pk>/deliveries/<int:delivery>/replay/",
        webhook_pages.replay,
        name="webhook_replay",
    ),
]
