"""The directory with 10,000 sites and more (bench/scale.py measures it).

- profile_directory_order, on (lower(last_name), lower(first_name), slug): the
  directory's order (profiles.directory). Its first page reads 24 sites in
  order instead of sorting them all, and a search for a common word does the
  same, filtering as it reads; rare words still go through the GIN index.
  Both databases (SQLite indexes expressions too).
- PostgreSQL: profile_search_gin without `fastupdate`. With it, new rows wait
  in an unsorted "pending list" that every search reads whole until a vacuum
  merges it: after seeding 10,000 sites the index scan read 321 pages where it
  reads 3. Profiles are written rarely; the index can take them at once.

The order index is in the models' state (Profile.Meta.indexes): as raw SQL,
SQLite's table rebuilds (a later AddField) silently dropped it. The GIN
setting is SQL, PostgreSQL only, like migration 0007's index.
"""

from django.db import migrations, models
from django.db.models.functions import Lower


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX profile_search_gin SET (fastupdate = off)")
        # Turning it off leaves what is pending where it is; merge it now.
        schema_editor.execute("SELECT gin_clean_pending_list('profile_search_gin'::regclass)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX profile_search_gin RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("profiles", "0007_moderators_group_and_search")]

    operations = [
        migrations.AddIndex(
            model_name="profile",
            index=models.Index(
                Lower("last_name"), Lower("first_name"), "slug", name="profile_directory_order"
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
