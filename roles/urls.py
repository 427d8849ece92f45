from django.urls import path

from . import views

app_name = "roles"

urlpatterns = [
    path("team/", views.team, name="team"),
    path("functions/", views.functions, name="functions"),
    path("functions/add/", views.function_add, name="function-add"),
    path("functions/<int:pk>/", views.function_detail, name="function-detail"),
    path("functions/<int:pk>/move/", views.function_move, name="function-move"),
]
