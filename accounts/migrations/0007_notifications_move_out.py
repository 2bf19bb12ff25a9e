"""NotificationPreference and SentMessage now belong to ``notifications`` (its 0001 takes
over their tables); NotificationRetry is replaced by the outbox (``core.Announcement``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_notificationretry"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="NotificationPreference"),
                migrations.DeleteModel(name="SentMessage"),
            ],
            database_operations=[],
        ),
        migrations.DeleteModel(name="NotificationRetry"),
    ]
