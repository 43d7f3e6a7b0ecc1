"""Selling: pricing as PrestaShop computes it, cart, payments, returns."""
