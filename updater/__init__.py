"""Self-updater; imports nothing from the rest of Mostrador (to be built)."""
