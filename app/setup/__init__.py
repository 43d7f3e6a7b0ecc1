"""First-run setup and connection (Qt-free): the wizard's steps as plain worker functions.

Each step takes plain values (a :class:`~app.setup.form.ConnectionForm` and the
:class:`~app.setup.form.Credentials` typed by the user) and returns a frozen result; the wizard
in ``ui/setup_wizard.py`` runs them through the task manager and shows the result.
"""
