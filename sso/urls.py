from django.urls import path

from . import views

# The callback's path is the redirect URI registered with the provider: /oidc/callback/.
# mozilla-django-oidc finds its views by these names.
oidc_urlpatterns = [
    path("oidc/authenticate/", views.Authenticate.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", views.Callback.as_view(), name="oidc_authentication_callback"),
]

app_name = "sso"
urlpatterns = [path("sso/afventer-rolle/", views.pending, name="pending")]
