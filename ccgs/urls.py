from django.urls import path

from . import views

app_name = "ccgs"

urlpatterns = [
    path("<slug:slug>/", views.ccg_detail, name="detail"),
]
