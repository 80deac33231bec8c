"""The outbox: every e-mail is stored first, then sent by a background task with retries."""
