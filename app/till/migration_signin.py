"""SQL of the sign-in and categories steps (``migrations.py`` orders them); never edited once
released.

Step 4, employee sign-in:

* ``catalog_employees.passwd``: the employee's PrestaShop back-office hash (``ps_employee.passwd``,
  bcrypt ``$2y$…`` or a legacy 32-hex md5), pulled with the other employee columns;
* ``employee_pins``: PINs a manager set on this till (bcrypt of the digits). Till-local: never
  pushed to the shop, kept when the employee's catalog row changes;
* ``signin_attempts``: consecutive failed sign-ins per employee and, after too many, the moment
  the employee may try again.

Step 6, discount approvals: the manager who approved a discount above the cashier's limit,
on the ticket line (``ticket_lines.discount_approved_by``) and on the ticket
(``tickets.ticket_discount_approved_by``); NULL when no approval was needed.

Step 5, categories: ``catalog_categories`` holds the shop's active categories under its home
category, named in the till's language; an index serves "the active products of a category,
by name" (``catalog.products_in_category``) and the product count per category.
"""

from __future__ import annotations

SIGNIN: tuple[str, ...] = (
    "ALTER TABLE catalog_employees ADD COLUMN passwd TEXT NOT NULL DEFAULT ''",
    """CREATE TABLE employee_pins (
        id_employee INTEGER PRIMARY KEY,
        pin_hash TEXT NOT NULL,
        set_by INTEGER NOT NULL,
        set_at TEXT NOT NULL
    )""",
    """CREATE TABLE signin_attempts (
        id_employee INTEGER PRIMARY KEY,
        failures INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT
    )""",
)

CATEGORIES: tuple[str, ...] = (
    """CREATE TABLE catalog_categories (
        id_category INTEGER PRIMARY KEY,
        id_parent INTEGER NOT NULL DEFAULT 0,
        name TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 1,
        level_depth INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE INDEX catalog_products_category
    ON catalog_products (id_category_default, active, name COLLATE NOCASE, id_product)""",
)

APPROVALS: tuple[str, ...] = (
    "ALTER TABLE ticket_lines ADD COLUMN discount_approved_by INTEGER",
    "ALTER TABLE tickets ADD COLUMN ticket_discount_approved_by INTEGER",
)
