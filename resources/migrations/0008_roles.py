"""The editor and moderator roles, as groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RESOURCES = ["article", "treatmentstrategy", "reference"]
EDITOR = [f"{action}_{model}" for model in RESOURCES for action in ("view", "add", "change")]
EDITOR += ["view_crisisline", "view_synonymgroup"]
MODERATOR = EDITOR + [f"delete_{model}" for model in RESOURCES]
MODERATOR += [f"publish_{model}" for model in RESOURCES]
MODERATOR += [f"{action}_{model}" for model in ("crisisline", "synonymgroup")
              for action in ("add", "change", "delete")]
MODERATOR += [f"{action}_slugredirect" for action in ("view", "add", "change", "delete")]
MODERATOR += [f"{action}_{model}" for model in ("tag", "suggestion")
              for action in ("view", "change", "delete")]
MODERATOR += ["view_pendingindexupdate", "view_workflowevent", "view_logentry"]
ROLES = {"Editors": EDITOR, "Moderators": MODERATOR}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(codename__in=codenames))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0007_publish_at"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
