"""The e-mail models move here from accounts, with their rows.

The tables were created by ``accounts.0005``: this migration takes them over in the
state (``SeparateDatabaseAndState``) and then renames them to this app's names, so no
row is copied and none is lost; ``accounts.0007`` drops them from the accounts state.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0006_notificationretry"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="NotificationPreference",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("email", models.EmailField(max_length=254, unique=True, verbose_name="e-mail address")),
                        ("updates", models.BooleanField(default=True, verbose_name="updates and progress of initiatives")),
                        ("reminders", models.BooleanField(default=True, verbose_name="reminders before tasks")),
                        ("digests", models.BooleanField(default=True, verbose_name="digests for initiators")),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "verbose_name": "notification preference",
                        "verbose_name_plural": "notification preferences",
                        "db_table": "accounts_notificationpreference",
                    },
                ),
                migrations.CreateModel(
                    name="SentMessage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("message", models.CharField(max_length=64)),
                        ("object_key", models.CharField(max_length=100)),
                        ("recipient", models.EmailField(max_length=254)),
                        ("claim", models.UUIDField(db_index=True)),
                        ("sent_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "verbose_name": "sent message",
                        "verbose_name_plural": "sent messages",
                        "db_table": "accounts_sentmessage",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("message", "object_key", "recipient"), name="message_sent_once"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="notificationpreference", table=None),
        migrations.AlterModelTable(name="sentmessage", table=None),
    ]
