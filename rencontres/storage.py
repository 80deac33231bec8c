"""Where files live: public uploads (partner logos, speaker photos) in MEDIA_ROOT, served as
they are; files built with personal data (badge and certificate batches, invoices) in
PRIVATE_ROOT, which nothing serves; or both in a bucket (STORAGE_URL: rencontres/s3.py). Code
reaches them through the storage's API only (open, save, exists, delete), never at a path on
this machine, so that several app servers can share them. A private file has no address: the
only way to it is a view that checks the role or the private link first, then streams it (see
rencontres/onsite/views.py, batch_file)."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy


@deconstructible(path="rencontres.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """The folder PRIVATE_ROOT (outside MEDIA_ROOT and STATIC_ROOT: rencontres/checks.py
    refuses to start otherwise), readable by the site's own user only."""

    def __init__(self, location=None, **kwargs):
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(location=location, **kwargs)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        # A URL would mean a way around the view's check: there is none to give.
        raise ValueError("A private file has no public address: link to the view that serves it.")


def private_storage():
    """The "private" storage of STORAGES, for FileField(storage=...): a callable, so that
    migrations name it rather than copy its settings."""
    return storages["private"]


# Public images: what every browser shows, and nothing that carries scripts or documents
# (SVG, PDF, PostScript, TIFF and the other formats Pillow also reads are refused).
IMAGE_FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",)}
IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_MAX_PIXELS = 25_000_000  # 5000 × 5000: more is a decompression bomb, not a logo
NOT_AN_IMAGE = gettext_lazy("This file is not a JPEG, PNG or WebP image we can read.")


def validate_image(upload):
    """An uploaded logo or photo is a real JPEG, PNG or WebP image (its content read by
    Pillow, not its name or the type the browser claims), named for what it is."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _
    from PIL import Image

    if getattr(upload, "_committed", False):
        # The file already stored (a form saved again without a new upload): it was checked
        # when it came, and a file since gone from the storage must not block the form.
        return
    allowed = _("Choose a JPEG, PNG or WebP image.")
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(tuple(ext for exts in IMAGE_FORMATS.values() for ext in exts)):
        raise ValidationError(allowed, code="image_type")
    if upload.size is not None and upload.size > IMAGE_MAX_BYTES:
        raise ValidationError(_("The image is larger than 5 MB."), code="image_size")
    position = upload.tell() if hasattr(upload, "tell") else None
    try:
        upload.seek(0)
        with Image.open(upload, formats=list(IMAGE_FORMATS)) as image:
            kind, (width, height) = image.format, image.size
            if width * height > IMAGE_MAX_PIXELS:
                raise ValidationError(
                    _("The image is too large (%(width)s × %(height)s pixels): at most 5000 × "
                      "5000.") % {"width": width, "height": height},
                    code="image_pixels",
                )  # fmt: skip
            image.verify()
    except ValidationError:
        raise
    except Exception as error:  # whatever Pillow finds wrong: not an image we show
        raise ValidationError(NOT_AN_IMAGE, code="image_content") from error
    finally:
        if position is not None:
            upload.seek(position)
    if not name.endswith(IMAGE_FORMATS[kind]):
        raise ValidationError(
            _("This image is a %(kind)s file: name it %(extension)s.")
            % {"kind": kind, "extension": IMAGE_FORMATS[kind][0]},
            code="image_name",
        )
