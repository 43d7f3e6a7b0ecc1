"""Receipt documents and ESC/POS printer backends (to be built)."""
