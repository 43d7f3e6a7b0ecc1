"""The PrestaShop database mapping: the only package that knows PrestaShop's tables."""
