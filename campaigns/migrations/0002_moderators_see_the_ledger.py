from django.db import migrations

PERMISSIONS = [
    ("pledge", "view_pledge"),
    ("pledge", "change_pledge"),
    ("webhookevent", "view_webhookevent"),
    ("auditentry", "view_auditentry"),
]


def grant(apps, schema_editor):
    """Permissions are normally created after migrating; create these ones now."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    for model, codename in PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label="campaigns", model=model)
        action = codename.split("_")[0]
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": f"Can {action} {model}"},
        )
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
