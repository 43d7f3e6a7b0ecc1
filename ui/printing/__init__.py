"""Printing screens: the print flow after a sale, reprints, printer settings, previews."""
