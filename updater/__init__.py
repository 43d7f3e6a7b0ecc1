"""Self-updater: signed releases (TUF), side-by-side versions, data snapshots, rollback.

It imports nothing from the rest of Mostrador (only the standard library and third-party
packages): the launcher must still run, and roll back, when the installed version is broken.
The app may import it (``app/update_hooks.py``, ``ui/update_dialog.py``).

Install root (Velopack-style)::

    <root>/                 the launcher (Mostrador.exe, or ``python -m updater.launcher``)
    <root>/versions/<v>/    one folder per installed version, never overwritten in place
    <root>/state.json       current, previous, pending, trial (health), data to snapshot
    <root>/snapshots/       till store and settings copied before a new version's first start
    <root>/downloads/       resumable downloads (``*.part``)
    <root>/metadata/        the trusted TUF metadata
    <root>/reports/         bug reports queued by the launcher for the app to send
"""
