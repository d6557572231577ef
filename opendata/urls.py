"""Open data, downloadable without login."""

from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("aabne-data/360giving.<str:fmt>", views.grants_360giving, name="grants_360giving"),
]
