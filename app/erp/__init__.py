"""The manager's back office (ERP): Qt-free operations on the shop database."""
