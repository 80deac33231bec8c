"""Background work of registrations: releasing the places held for delegation members who did
not confirm their address in time (queued for the moment the holds expire)."""

from django_tasks import task

from .services.places import release_expired_holds_of


@task()
def release_held_places(edition_id):
    return {"released": release_expired_holds_of(edition_id)}
