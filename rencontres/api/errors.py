"""Every API error as JSON: {"error": code, "detail": text} and, for invalid data, the fields'
messages as the forms word them ({"fields": {name: [messages]}}); never an HTML page."""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler


def handler(error, context):
    response = exception_handler(error, context)
    if response is None:
        return None  # a real bug: Django's 500, logged
    if isinstance(error, exceptions.ValidationError):
        fields = error.detail if isinstance(error.detail, dict) else {"__all__": error.detail}
        response.data = {"error": "invalid", "detail": _("The data sent are not valid."),
                         "fields": fields}  # fmt: skip
    elif isinstance(error, (Http404, exceptions.NotFound)):
        response.data = {"error": "not_found", "detail": _("Not found.")}
    else:
        code = getattr(error, "default_code", "error")
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        response.data = {"error": code, "detail": str(detail)}
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS and "Retry-After" in response:
        response.data["retry_after"] = int(response["Retry-After"])
    return response
