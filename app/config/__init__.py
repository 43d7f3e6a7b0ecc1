"""Settings (typed JSON file) and secrets (OS keyring)."""
