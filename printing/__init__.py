"""Receipts on paper: printer-agnostic documents, ESC/POS bytes, printer backends."""
