from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_suggestion", "change_suggestion", "delete_suggestion"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is not None:
        moderators.permissions.add(*Permission.objects.filter(codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("resources", "0008_suggestions")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
