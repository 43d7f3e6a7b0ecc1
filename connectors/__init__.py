"""Connectors to external systems; only ``connectors.prestashop`` knows PrestaShop's tables."""
