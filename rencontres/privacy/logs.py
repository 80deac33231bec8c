"""A logging filter that keeps personal data out of logs and error reports, and the helper
that makes any value a request supplied safe to write in a log line.

Code logs ids, never names or addresses; this filter is the net under it, for what a library
or an exception message still carries (an SMTP error quoting the recipient, a URL with a
private link's secret): e-mail addresses, phone numbers and link secrets are masked.

A value from a request (a report's field, a header, a path) may hold line breaks or terminal
escapes that forge log lines or rewrite what an operator's terminal shows: `loggable` writes
every control character as its escape, and the filter applies it to every message, so a
line of the log is one record, whoever wrote it."""

import logging
import re
import unicodedata

from django.views.debug import SafeExceptionReporterFilter

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# International or French numbers: a + or 0, then at least 8 digits, spaces, dots or dashes.
PHONE = re.compile(r"(?<![\w/.-])(\+|00|0)[1-9](?:[ .-]?\d){7,13}(?![\w/-])")
# r/<public id>/<secret>/, invitation/<public id>/<secret>/ and r/<public id>/feed/<token>/:
# the id may stay (it is an id), the secret may not; nor an address-confirmation token.
PRIVATE_LINK = re.compile(r"(/(?:r|invitation)/[0-9a-f-]{36}/(?:feed/)?)[\w-]{16,}")
CONFIRMATION = re.compile(r"(/register/confirm/)[^/\s?\"']+")


# Control characters (line breaks, escapes, NUL), format characters (right-to-left overrides
# that reorder what a terminal shows) and the Unicode line and paragraph separators.
UNPRINTABLE = {"Cc", "Cf", "Zl", "Zp"}


def loggable(value, limit=None):
    """`value` as text for one log line: each control character written as its escape
    (\\n, \\x1b, \\u202e), then cut at `limit` characters."""
    text = str(value)
    if not text.isprintable():
        text = "".join(
            character.encode("unicode_escape").decode("ascii")
            if unicodedata.category(character) in UNPRINTABLE
            else character
            for character in text
        )
    return text if limit is None else text[:limit]


def redact(text):
    text = EMAIL.sub("[e-mail]", text)
    text = PRIVATE_LINK.sub(r"\1[secret]", text)
    text = CONFIRMATION.sub(r"\1[token]", text)
    return PHONE.sub("[phone]", text)


class PersonalDataFilter(logging.Filter):
    """Rewrites each record's message and traceback with personal data masked."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler to report
            return True
        record.msg, record.args = loggable(redact(message)), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class ErrorReportFilter(SafeExceptionReporterFilter):
    """Error reports (the e-mail to ADMINS, 500 pages outside DEBUG) show the code's path and
    ids, not what people typed: every form value and every local variable is hidden, and
    request headers (a Referer may hold a private link) are masked like log lines."""

    def get_post_parameters(self, request):
        if not self.is_active(request) or request is None:
            return super().get_post_parameters(request)
        return {key: self.cleansed_substitute for key in request.POST}

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        if not self.is_active(request):
            return meta
        return {key: redact(value) if isinstance(value, str) else value
                for key, value in meta.items()}  # fmt: skip

    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
