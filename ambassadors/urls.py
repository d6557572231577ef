"""The ambassador network's pages."""

app_name = "ambassadors"

urlpatterns: list = []
