"""PySide6 views. Only this package imports Qt."""
