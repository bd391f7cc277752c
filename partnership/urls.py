"""The portal's URLs: pages per app, the API under /api/v1/, its schema and docs."""

from django.contrib import admin
from django.urls import include, path

from . import health, views
from .api.docs import PortalDocsView, PortalSchemaView
from .auth_views import PortalLoginView

api_v1 = [
    path("", include("partnership.api.urls")),
    path("", include("listening.api.urls")),
    path("", include("initiatives.api.urls")),
    path("", include("revenue.api.urls")),
    path("", include("steering.api.urls")),
    path("", include("partnership.integrations.api.urls")),
    path("", include("partnership.extramile.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/login/", PortalLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/tokens/", views.token_create, name="token-create"),
    path("accounts/tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("", include("partnership.score.urls")),
    path("delivered/", views.delivered, name="delivered"),
    path("delivered/<slug:slug>/", views.delivered, name="delivered-unit"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/open/", views.notification_open, name="notification-open"),
    path("inbox/read-all/", views.notification_mark_all_read, name="notification-read-all"),
    path("accounts/notifications/", views.notification_preferences, name="notification-preferences"),
    path("listening/", include("listening.urls")),
    path("initiatives/", include("initiatives.urls")),
    path("revenue/", include("revenue.urls")),
    path("steering/", include("steering.urls")),
    path("extra-mile/", include("partnership.extramile.urls")),
    path("integrations/", include("partnership.integrations.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    # Public unless PORTAL_API_DOCS_REQUIRE_LOGIN (partnership/api/docs.py).
    path("api/schema/", PortalSchemaView.as_view(), name="api-schema"),
    path("api/docs/", PortalDocsView.as_view(url_name="api-schema"), name="api-docs"),
]

handler403 = views.permission_denied
handler500 = "partnership.middleware.server_error"  # a database outage anywhere in a request: 503
