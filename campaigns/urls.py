from django.urls import path

from campaigns.views import browse, donations, impact, manage, payouts, spending, updates

app_name = "campaigns"

urlpatterns = [
    path("", browse.initiative_list, name="list"),
    path("mine/", manage.my_initiatives, name="my_initiatives"),
    path("new/", manage.initiative_create, name="create"),
    path("<int:page_id>/edit/", manage.initiative_edit, name="edit"),
    path("<int:page_id>/preview/", manage.initiative_preview, name="preview"),
    path("<int:page_id>/submit/", manage.initiative_submit, name="submit"),
    path("<int:page_id>/cancel/", manage.initiative_cancel, name="cancel"),
    path("<int:page_id>/delete/", manage.initiative_delete, name="delete"),
    path("<int:page_id>/donate/", donations.donate, name="donate"),
    path("<int:page_id>/updates/new/", updates.post_update, name="post_update"),
    path("<int:page_id>/follow/", updates.follow, name="follow"),
    path("<int:page_id>/payout/", payouts.payout, name="payout"),
    path("<int:page_id>/spending/", spending.spending, name="spending"),
    path("<int:page_id>/impact/", impact.impact_report, name="impact"),
    path("receipts/<int:receipt_id>/", spending.receipt_file, name="receipt_file"),
]
