from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("earlyhelp.api.urls")),
    path("", include("earlyhelp.web.urls")),
]
