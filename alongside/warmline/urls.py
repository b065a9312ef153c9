from django.urls import path

from alongside.warmline import views

app_name = "warmline"

urlpatterns = [
    path("", views.index, name="index"),
    path("sms/twilio/", views.sms_webhook, name="sms_twilio"),
]
