from django.db import migrations

PERMISSIONS = ["view_report", "change_report"]


def grant(apps, schema_editor):
    """Moderators work the queue of abuse reports; permissions are normally created after
    migrating, so create these ones now."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    content_type, _ = ContentType.objects.get_or_create(app_label="core", model="report")
    for codename in PERMISSIONS:
        action = codename.split("_")[0]
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": f"Can {action} abuse report"},
        )
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_report"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
