"""The bug reporter's core (no Qt): collect, scrub, queue, send.

* :mod:`.report` — what a report holds (an allowlist of fields) and its exact bytes;
* :mod:`.scrub` — secrets and personal data removed from every text that goes out;
* :mod:`.outbox` — reports queued on disk until the server has them;
* :mod:`.sender` — the HTTPS POST, retries with backoff, the background sender thread;
* :mod:`.crash` — uncaught exceptions turned into one report each, never a flood;
* :mod:`.service` — the pieces wired together from the settings;
* :mod:`.receiver` — a small WSGI receiver for the vendor side and the tests.
"""
