from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from applications.views.applicant import dashboard

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("tilgaengelighed/", TemplateView.as_view(template_name="accessibility.html"), name="accessibility"),
    path("", include("applications.urls")),
    path("", include("monitoring.urls")),
    path("", include("ambassadors.urls")),
    path("", include("awards.urls")),
    path("", include("documents.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("applications.api.urls")),
    path("api/v1/", include("monitoring.api.urls")),
    path("api/v1/", include("ambassadors.api.urls")),
    path("api/v1/", include("awards.api.urls")),
    path("api/v1/", include("documents.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api-auth/", include("rest_framework.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

admin.site.site_header = "Puljeflow"
admin.site.site_title = "Puljeflow"
