"""Speaker photos and partner logos are public images: JPEG, PNG or WebP whose content Pillow
reads as such. A PDF, a PostScript file, an SVG, a page renamed .png or an image named for
another format is refused with a message next to the field, and nothing is stored."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from rencontres.editions.models import Speaker

pytestmark = pytest.mark.django_db


def image_bytes(kind, size=(40, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1f4e79").save(buffer, kind)
    return buffer.getvalue()


EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("alice", "alice@example.org", "pw-alice-1")
    client.force_login(user)
    return client


def add_speaker(client, upload):
    return client.post(
        "/admin/editions/speaker/add/",
        {"first_name": "Aminata", "last_name": "Traoré", "photo": upload},
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.mark.parametrize(
    "name, content, kind",
    [("photo.jpg", "JPEG", "jpg"), ("photo.jpeg", "JPEG", "jpg"), ("photo.png", "PNG", "png"),
     ("photo.webp", "WEBP", "webp")],
)  # fmt: skip
def test_a_jpeg_png_or_webp_photo_is_accepted(admin_client, name, content, kind):
    response = add_speaker(admin_client, SimpleUploadedFile(name, image_bytes(content)))
    assert response.status_code == 302, response.content.decode()[-3000:]
    speaker = Speaker.objects.get()
    assert speaker.photo.name.startswith("speakers/photo")
    assert Path(speaker.photo.path).is_file()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("photo.pdf", PDF, "not a JPEG, PNG or WebP image we can read"),
        ("photo.eps", EPS, "Choose a JPEG, PNG or WebP image."),
        ("photo.ps", EPS, "Choose a JPEG, PNG or WebP image."),
        ("photo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "not a JPEG, PNG or WebP"),
        ("photo.gif", image_bytes("GIF"), "Choose a JPEG, PNG or WebP image."),
        ("photo.png", EPS, "not a JPEG, PNG or WebP image we can read"),
        ("photo.png", PDF, "not a JPEG, PNG or WebP image we can read"),
        ("photo.png", image_bytes("TIFF"), "not a JPEG, PNG or WebP image we can read"),
        ("photo.png", image_bytes("BMP"), "not a JPEG, PNG or WebP image we can read"),
        ("photo.png", image_bytes("JPEG"), "This image is a JPEG file: name it .jpg."),
        ("photo.jpg", b"<html><script>alert(1)</script></html>", "not a JPEG, PNG or WebP"),
    ],
)
def test_anything_else_is_refused_next_to_the_field(admin_client, name, content, message):
    response = add_speaker(admin_client, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["photo"]
    assert message in " ".join(errors["photo"])
    assert not Speaker.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_photo_too_large_in_pixels_is_refused(admin_client):
    huge = image_bytes("PNG", size=(6000, 5000))
    response = add_speaker(admin_client, SimpleUploadedFile("photo.png", huge))
    assert response.status_code == 200
    assert "at most 5000 × 5000" in " ".join(response.context["adminform"].form.errors["photo"])


def test_the_file_picker_offers_the_accepted_images(admin_client):
    page = admin_client.get("/admin/editions/speaker/add/", HTTP_ACCEPT_LANGUAGE="en")
    page = page.content.decode()
    assert 'accept=".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp"' in page
    assert "A JPEG, PNG or WebP image, at most 5 MB." in page
