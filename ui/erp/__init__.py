"""The ERP window (the manager's back office) and its sections."""
