from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("r/<uuid:public_id>/<str:secret>/surveys/<int:pk>/", views.answer, name="answer"),
    path("organiser/<int:number>/surveys/", views.surveys, name="surveys"),
    path("organiser/<int:number>/surveys/new/", views.survey_edit, name="survey_new"),
    path("organiser/<int:number>/surveys/<int:pk>/", views.survey_edit, name="survey_edit"),
    path(
        "organiser/<int:number>/surveys/<int:pk>/results/",
        views.survey_results,
        name="survey_results",
    ),
    path(
        "organiser/<int:number>/surveys/<int:pk>/answers.xlsx",
        views.survey_xlsx,
        name="survey_xlsx",
    ),
]
