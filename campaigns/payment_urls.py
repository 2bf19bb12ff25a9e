from django.urls import path

from campaigns.views import donations

app_name = "payments"

urlpatterns = [
    path("return/<uuid:reference>/", donations.payment_return, name="return"),
    path("retry/<uuid:reference>/", donations.retry_payment, name="retry"),
    path("test-checkout/<uuid:reference>/", donations.test_checkout, name="test_checkout"),
    path("mine/", donations.my_donations, name="my_donations"),
]
