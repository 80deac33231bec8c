"""Gunicorn's access log without personal data: private links (in the request line and in
the Referer a private page sends) lose their secret, e-mail addresses and phone numbers are
masked. bin/serve runs gunicorn with `--logger-class rencontres.privacy.gunicorn.Logger`."""

from gunicorn.glogging import Logger as GunicornLogger

from .logs import redact


class Logger(GunicornLogger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
