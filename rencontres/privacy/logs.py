"""A logging filter that keeps personal data out of logs and error reports.

Code logs ids, never names or addresses; this filter is the net under it, for what a library
or an exception message still carries (an SMTP error quoting the recipient, a URL with a
private link's secret): e-mail addresses, phone numbers and link secrets are masked."""

import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# International or French numbers: a + or 0, then at least 8 digits, spaces, dots or dashes.
PHONE = re.compile(r"(?<![\w/.-])(\+|00|0)[1-9](?:[ .-]?\d){7,13}(?![\w/-])")
# r/<public id>/<secret>/: the id may stay (it is an id), the secret may not.
PRIVATE_LINK = re.compile(r"(/r/[0-9a-f-]{36}/)[\w-]{16,}")


def redact(text):
    text = EMAIL.sub("[e-mail]", text)
    text = PRIVATE_LINK.sub(r"\1[secret]", text)
    return PHONE.sub("[phone]", text)


class PersonalDataFilter(logging.Filter):
    """Rewrites each record's message and traceback with personal data masked."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler to report
            return True
        record.msg, record.args = redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
