"""Backup and restore: a dump of a full database restores into an empty one with the same rows
in every table, and restore refuses to overwrite data unless told to."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections

from rencontres import backup
from rencontres.editions.models import Edition
from rencontres.registration import services
from rencontres.registration.models import Category, Registration
from rencontres.registration.tests.factories import details, open_edition

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def full_database():
    """The demo edition, its participants, and a few more registrations, some confirmed."""
    call_command("load_demo", "--scale", "small", stdout=io.StringIO())
    edition = Edition.objects.get(number=15)
    category = Category.objects.filter(edition=edition, needs_approval=False).first()
    for number in range(4):
        registration, _ = services.submit(edition, details(edition, category=category))
        if number % 2:
            services.confirm_address(registration)
    return edition


@pytest.fixture
def some_data():
    edition = open_edition()
    for _ in range(3):
        services.confirm_address(services.submit(edition, details(edition))[0])
    return edition


def contents(database):
    """Every table's rows (in a stable order), and where each sequence of ids stands."""
    with database.cursor() as cursor:
        tables = database.introspection.table_names(cursor)
        if database.vendor == "sqlite":
            tables.append("sqlite_sequence")
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {database.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(cursor.fetchall(), key=repr)
        for sequence in (
            database.introspection.sequence_list() if database.vendor != "sqlite" else []
        ):
            cursor.execute(f"SELECT last_value, is_called FROM {sequence['name']}")  # noqa: S608
            rows[sequence["name"]] = cursor.fetchall()
    return rows


def other_database(name):
    """A connection to another database of the same server (or another SQLite file)."""
    wrapper = type(connections[DEFAULT_DB_ALIAS])
    return wrapper({**connection.settings_dict, "NAME": name}, alias="restored")


@pytest.fixture
def empty_database(tmp_path):
    if connection.vendor == "sqlite":
        database = other_database(str(tmp_path / "restored.sqlite3"))
        yield database
        database.close()
        return
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    database = other_database(name)
    yield database
    database.close()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")


def test_a_dump_restores_into_an_empty_database_with_the_same_rows(
    full_database, empty_database, tmp_path
):
    dump = tmp_path / "rencontres.dump"
    call_command("backup", str(dump), stdout=io.StringIO())
    backup.restore(empty_database, dump)
    original, restored = contents(connection), contents(empty_database)
    assert set(restored) == set(original)
    assert restored == original
    assert len(original["registration_registration"]) == Registration.objects.count() > 4
    assert Registration.objects.filter(status="confirmed").exists()


def test_restore_refuses_a_database_that_holds_data(some_data, tmp_path):
    dump = tmp_path / "rencontres.dump"
    call_command("backup", str(dump), stdout=io.StringIO())
    Edition.objects.update(theme_en="Changed after the backup")
    before = contents(connection)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(dump))
    assert contents(connection) == before  # the change made after the dump is still there


def test_restore_with_force_puts_back_what_was_dumped(some_data, tmp_path):
    dump = tmp_path / "rencontres.dump"
    call_command("backup", str(dump), stdout=io.StringIO())
    before = contents(connection)
    Registration.objects.filter(status="confirmed").delete()
    Edition.objects.update(theme_en="Changed after the backup")
    call_command("restore", str(dump), "--force", stdout=io.StringIO())
    assert contents(connection) == before


def test_restore_refuses_a_file_that_is_not_a_dump_of_this_kind_of_database(tmp_path):
    not_a_dump = tmp_path / "notes.txt"
    not_a_dump.write_text("hello")
    with pytest.raises(CommandError, match="not a dump"):
        call_command("restore", str(not_a_dump))
