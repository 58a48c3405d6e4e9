from django.db import migrations, models


class Migration(migrations.Migration):
    """A reference can be a slide deck (undated decks are neither talks nor web pages)."""

    dependencies = [
        ("resources", "0011_foundation_fields"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reference",
            name="ref_type",
            field=models.CharField(
                choices=[
                    ("journal", "Journal article"),
                    ("book", "Book"),
                    ("chapter", "Book chapter"),
                    ("website", "Website"),
                    ("conference", "Conference presentation"),
                    ("slides", "Slide deck"),
                    ("preprint", "Preprint"),
                    ("database", "Database entry"),
                ],
                max_length=12,
                verbose_name="type",
            ),
        ),
    ]
