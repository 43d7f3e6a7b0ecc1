"""The TPV: the cashier's sale screen and its dialogs."""
