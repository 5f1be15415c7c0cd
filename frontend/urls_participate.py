from django.urls import path

from frontend.views import participate

urlpatterns = [
    path("", participate.home, name="home"),
]
