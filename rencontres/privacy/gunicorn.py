"""Gunicorn's access log without personal data: private links (in the request line and in
the Referer a private page sends) lose their secret, e-mail addresses and phone numbers are
masked, and control characters a client sent (in a header, a path) are written as escapes.
bin/serve runs gunicorn with `--logger-class rencontres.privacy.gunicorn.Logger`."""

from gunicorn.glogging import Logger as GunicornLogger

from .logs import loggable, redact


class Logger(GunicornLogger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: loggable(redact(value)) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
