from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from applications.views.applicant import dashboard
from core import token_views
from core.auth import LoginView
from core.health import healthz
from core.site import favicon, inbox, keep_alive
from sso import views as sso_views
from sso.urls import oidc_urlpatterns

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("healthz/", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("session/keep-alive/", keep_alive, name="keep_alive"),
    path("inbox/", inbox, name="inbox"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", sso_views.Logout.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("api-tokens/", token_views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", token_views.revoke, name="api_token_revoke"),
    path("api-tokens/revoke-all/", token_views.revoke_all, name="api_tokens_revoke_all"),
    *oidc_urlpatterns,
    path("", include("sso.urls")),
    path("tilgaengelighed/", TemplateView.as_view(template_name="accessibility.html"), name="accessibility"),
    path("", include("applications.urls")),
    path("", include("monitoring.urls")),
    path("", include("ambassadors.urls")),
    path("", include("awards.urls")),
    path("", include("documents.urls")),
    path("", include("opendata.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("applications.api.urls")),
    path("api/v1/", include("monitoring.api.urls")),
    path("api/v1/", include("ambassadors.api.urls")),
    path("api/v1/", include("awards.api.urls")),
    path("api/v1/", include("documents.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file of its own: no inline script, so the
    # page keeps the site's Content Security Policy.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api-auth/", include("rest_framework.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

admin.site.site_header = "Puljeflow"
admin.site.site_title = "Puljeflow"
