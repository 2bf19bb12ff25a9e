"""A file-based e-mail backend that takes a while per mail, as SMTP does, so a test can
kill a worker while it sends. ``SLOW_MAIL_SECONDS`` sets the pause."""

import os
import time

from django.core.mail.backends import filebased


class EmailBackend(filebased.EmailBackend):
    def write_message(self, message):
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "0.2")))
        super().write_message(message)
