from django.urls import path

from . import views

app_name = "decisions"

# Included at the site root, so the form sits under its CCG's address.
urlpatterns = [
    path("ccgs/<slug:slug>/decisions/new/", views.record, name="record"),
    path("decisions/<int:pk>/recorded/", views.recorded, name="recorded"),
    path("decisions/<int:pk>/correct/", views.correct, name="correct"),
    path("decisions/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("sources/new/", views.source_add, name="source_add"),
]
