"""Files in an S3-compatible bucket (STORAGE_URL, see settings.storage_settings), for several
app servers that share no folder. Needs the optional `s3` extra (django-storages and boto3).
Nothing in the bucket is public, and neither storage hands out the bucket's addresses: public
uploads are served by the app at /media/ (rencontres/views.py, media), with the same headers as
from a folder and under the site's own Content Security Policy; private files by the views that
check who asks, which stream them through storage.open."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.deconstruct import deconstructible
from django.utils.encoding import filepath_to_uri

try:
    from storages.backends.s3 import S3Storage
except ImportError as error:  # STORAGE_URL set on an install without the extra
    raise ImproperlyConfigured(
        "STORAGE_URL needs the s3 extra: .venv/bin/pip install -c constraints.txt -e '.[s3]'"
    ) from error


@deconstructible(path="rencontres.s3.PublicS3Storage")
class PublicS3Storage(S3Storage):
    """Public uploads (logos, photos), at their /media/ address on the site."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + filepath_to_uri(name)


@deconstructible(path="rencontres.s3.PrivateS3Storage")
class PrivateS3Storage(S3Storage):
    """Files built with personal data: no address, not even a signed one that would work for
    anyone it is passed to. No ACL is sent (the objects are the bucket's, private like it):
    buckets made since 2023 refuse most ACLs, and none may make these public."""

    def __init__(self, **options):
        options["default_acl"] = None
        super().__init__(**options)

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("A private file has no public address: link to the view that serves it.")
