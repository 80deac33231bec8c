from django.urls import path

from . import views

app_name = "editions"

urlpatterns = [
    path("", views.home, name="home"),
    path("editions/", views.archive, name="archive"),
    path("editions/<int:number>/", views.edition_home, name="edition"),
    path("editions/<int:number>/programme/", views.programme, name="programme"),
    path("editions/<int:number>/programme/print/", views.programme_print, name="programme_print"),
    path("editions/<int:number>/programme.ics", views.programme_ics, name="programme_ics"),
    path("editions/<int:number>/schedule.xml", views.schedule_xml, name="schedule_xml"),
    path("editions/<int:number>/schedule.json", views.schedule_json, name="schedule_json"),
    path("editions/<int:number>/schedule.xcal", views.schedule_xcal, name="schedule_xcal"),
    path("editions/<int:number>/starred.ics", views.starred_ics, name="starred_ics"),
    path("editions/<int:number>/sessions/<int:pk>/", views.session_detail, name="session"),
    path("editions/<int:number>/sessions/<int:pk>.ics", views.session_ics, name="session_ics"),
    path("editions/<int:number>/speakers/", views.speakers, name="speakers"),
    path("pages/<slug:slug>/", views.page, name="page"),
]
