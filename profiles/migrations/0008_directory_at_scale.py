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

Written as SQL, like migration 0007's GIN index, so that both stay outside the
models' state: Django's index declarations cannot say "PostgreSQL only", and
these are only about speed.
"""

from django.db import migrations

ORDER_INDEX = "profile_directory_order"


def forward(apps, schema_editor):
    schema_editor.execute(
        f"CREATE INDEX {ORDER_INDEX} ON profiles_profile "
        "(lower(last_name), lower(first_name), slug)"
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX profile_search_gin SET (fastupdate = off)")
        # Turning it off leaves what is pending where it is; merge it now.
        schema_editor.execute("SELECT gin_clean_pending_list('profile_search_gin'::regclass)")


def backward(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {ORDER_INDEX}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX profile_search_gin RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("profiles", "0007_moderators_group_and_search")]

    operations = [migrations.RunPython(forward, backward)]
