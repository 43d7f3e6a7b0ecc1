"""Reference data of the demo shop: PrestaShop install facts (FACTS.md §8, §10, §15) and the
Spanish word lists the catalog and the customers are made of. Data only."""

from __future__ import annotations

from typing import NamedTuple

# Realistic PS_VERSION_DB / PS_INSTALL_VERSION per schema version.
FULL_VERSIONS = {"1.7.8": "1.7.8.11", "8.0": "8.0.5", "8.2": "8.2.1", "9.0": "9.0.0"}

LANGS = (  # id, iso, name, language_code, locale, date_format_lite, date_format_full
    (1, "es", "Español (Spanish)", "es-es", "es-ES", "d/m/Y", "d/m/Y H:i:s"),
    (2, "en", "English (English)", "en-us", "en-US", "m/d/Y", "m/d/Y H:i:s"),
)

ZONES = (
    "Europe",
    "North America",
    "Asia",
    "Africa",
    "Oceania",
    "South America",
    "Europe (non-EU)",
    "Central America/Antilla",
)


class Country(NamedTuple):
    id: int
    iso: str
    zone: int
    call_prefix: int
    zip_format: str
    states: bool
    needs_id: bool
    es: str
    en: str
    eu: bool


# Ids as assigned by country.xml order (FACTS.md §15): DE 1, ES 6, FR 8, …
COUNTRIES = (
    Country(1, "DE", 1, 49, "NNNNN", False, False, "Alemania", "Germany", True),
    Country(2, "AT", 1, 43, "NNNN", False, False, "Austria", "Austria", True),
    Country(3, "BE", 1, 32, "NNNN", False, False, "Bélgica", "Belgium", True),
    Country(6, "ES", 1, 34, "NNNNN", True, True, "España", "Spain", True),
    Country(8, "FR", 1, 33, "NNNNN", False, False, "Francia", "France", True),
    Country(10, "IT", 1, 39, "NNNNN", True, False, "Italia", "Italy", True),
    Country(13, "NL", 1, 31, "NNNN LL", False, False, "Países Bajos", "Netherlands", True),
    Country(15, "PT", 1, 351, "NNNN-NNN", False, False, "Portugal", "Portugal", True),
    Country(17, "GB", 7, 44, "", False, False, "Reino Unido", "United Kingdom", False),
    Country(21, "US", 2, 1, "NNNNN", True, False, "Estados Unidos", "United States", False),
)
SPAIN = 6

# Spanish provinces used by the demo addresses: name, ISO 3166-2, postcode prefix, cities.
PROVINCES = (
    ("Madrid", "ES-M", "28", ("Madrid", "Alcalá de Henares", "Getafe", "Móstoles")),
    ("Barcelona", "ES-B", "08", ("Barcelona", "Badalona", "Sabadell", "Terrassa")),
    ("Valencia", "ES-V", "46", ("Valencia", "Gandia", "Torrent")),
    ("Sevilla", "ES-SE", "41", ("Sevilla", "Dos Hermanas", "Écija")),
    ("Málaga", "ES-MA", "29", ("Málaga", "Marbella", "Vélez-Málaga")),
    ("Zaragoza", "ES-Z", "50", ("Zaragoza", "Calatayud")),
    ("Bizkaia", "ES-BI", "48", ("Bilbao", "Getxo", "Barakaldo")),
    ("A Coruña", "ES-C", "15", ("A Coruña", "Santiago de Compostela", "Ferrol")),
    ("Asturias", "ES-O", "33", ("Oviedo", "Gijón", "Avilés")),
    ("Murcia", "ES-MU", "30", ("Murcia", "Cartagena", "Lorca")),
)

TAXES = ((1, "21.000", "IVA ES 21%"), (2, "10.000", "IVA ES 10%"), (3, "4.000", "IVA ES 4%"))
# id_tax_rules_group, name, id_tax (localization pack es.xml names).
TAX_RULES_GROUPS = (
    (1, "ES Standard rate (21%)", 1),
    (2, "ES Reduced Rate (10%)", 2),
    (3, "ES Super Reduced Rate (4%)", 3),
    (4, "ES Foodstuff Rate (4%)", 3),
    (5, "ES Books Rate (4%)", 3),
)
TAX_RATES = {1: 21, 2: 10, 3: 4, 4: 4, 5: 4}  # by id_tax_rules_group
TAX_IDS = {group: tax for group, _, tax in TAX_RULES_GROUPS}
TAX_NAMES = {tax: name for tax, _, name in TAXES}

GROUPS = ((1, "Visitante", "Visitor"), (2, "Invitado", "Guest"), (3, "Cliente", "Customer"))


class OrderState(NamedTuple):
    id: int
    key: str
    logable: int
    invoice: int
    paid: int
    shipped: int
    delivery: int
    send_email: int
    color: str
    module: str
    template: str
    es: str
    en: str


ORDER_STATES = (
    OrderState(1, "PS_OS_CHEQUE", 0, 0, 0, 0, 0, 1, "#34209E", "ps_checkpayment", "cheque",
               "En espera de pago por cheque", "Awaiting check payment"),
    OrderState(2, "PS_OS_PAYMENT", 1, 1, 1, 0, 0, 1, "#3498D8", "", "payment",
               "Pago aceptado", "Payment accepted"),
    OrderState(3, "PS_OS_PREPARATION", 1, 1, 1, 0, 1, 1, "#3498D8", "", "preparation",
               "Preparación en curso", "Processing in progress"),
    OrderState(4, "PS_OS_SHIPPING", 1, 1, 1, 1, 1, 1, "#01B887", "", "shipped",
               "Enviado", "Shipped"),
    OrderState(5, "PS_OS_DELIVERED", 1, 1, 1, 1, 1, 0, "#01B887", "", "",
               "Entregado", "Delivered"),
    OrderState(6, "PS_OS_CANCELED", 0, 0, 0, 0, 0, 1, "#2C3E50", "", "order_canceled",
               "Cancelado", "Canceled"),
    OrderState(7, "PS_OS_REFUND", 0, 1, 0, 0, 0, 1, "#ED2B2B", "", "refund",
               "Reembolsado", "Refunded"),
    OrderState(8, "PS_OS_ERROR", 0, 0, 0, 0, 0, 1, "#E74C3C", "", "payment_error",
               "Error en el pago", "Payment error"),
    OrderState(9, "PS_OS_OUTOFSTOCK_PAID", 0, 1, 1, 0, 0, 1, "#3498D8", "", "outofstock",
               "Pedido pendiente por falta de stock (pagado)", "On backorder (paid)"),
    OrderState(10, "PS_OS_BANKWIRE", 0, 0, 0, 0, 0, 1, "#34209E", "ps_wirepayment", "bankwire",
               "En espera de pago por transferencia bancaria", "Awaiting bank wire payment"),
    OrderState(11, "PS_OS_WS_PAYMENT", 1, 1, 1, 0, 0, 1, "#3498D8", "", "payment",
               "Pago remoto aceptado", "Remote payment accepted"),
    OrderState(12, "PS_OS_OUTOFSTOCK_UNPAID", 0, 0, 0, 0, 0, 1, "#34209E", "", "outofstock",
               "Pedido pendiente por falta de stock (no pagado)", "On backorder (not paid)"),
    OrderState(13, "PS_OS_COD_VALIDATION", 0, 0, 0, 0, 0, 0, "#34209E", "ps_cashondelivery",
               "cashondelivery", "En espera de validación por contra reembolso",
               "Awaiting Cash On Delivery validation"),
)  # fmt: skip
STATES_BY_ID = {state.id: state for state in ORDER_STATES}

# Stock movement reasons (FACTS.md §15): id, sign, es name, en name.
STOCK_REASONS_LEGACY = (
    (1, 1, "Aumentar", "Increase"),
    (2, -1, "Disminuir", "Decrease"),
    (3, -1, "Pedido de cliente", "Customer Order"),
    (4, -1, "Regularización de inventario", "Regulation following an inventory of stock"),
    (5, 1, "Regularización de inventario", "Regulation following an inventory of stock"),
    (6, -1, "Transferencia a otro almacén", "Transfer to another warehouse"),
    (7, 1, "Transferencia desde otro almacén", "Transfer from another warehouse"),
    (8, 1, "Pedido a proveedor", "Supply Order"),
    (9, 1, "Pedido de cliente", "Customer Order"),
    (10, 1, "Devolución de producto", "Product return"),
    (11, 1, "Edición del empleado", "Employee Edition"),
    (12, -1, "Edición del empleado", "Employee Edition"),
)
STOCK_REASONS_9 = (
    (1, -1, "Pedido de cliente", "Customer Order"),
    (2, 1, "Pedido de cliente", "Customer Order"),
    (3, 1, "Devolución de producto", "Product return"),
    (4, 1, "Edición del empleado", "Employee Edition"),
    (5, -1, "Edición del empleado", "Employee Edition"),
)
STOCK_KEYS_LEGACY = {
    "PS_STOCK_CUSTOMER_ORDER_REASON": 3,
    "PS_STOCK_CUSTOMER_ORDER_CANCEL_REASON": 9,
    "PS_STOCK_CUSTOMER_RETURN_REASON": 10,
    "PS_STOCK_MVT_INC_EMPLOYEE_EDITION": 11,
    "PS_STOCK_MVT_DEC_EMPLOYEE_EDITION": 12,
    "PS_STOCK_MVT_INC_REASON_DEFAULT": 1,
    "PS_STOCK_MVT_DEC_REASON_DEFAULT": 2,
    "PS_STOCK_MVT_REASON_DEFAULT": 3,
    "PS_STOCK_MVT_TRANSFER_TO": 7,
    "PS_STOCK_MVT_TRANSFER_FROM": 6,
    "PS_STOCK_MVT_SUPPLY_ORDER": 8,
}
STOCK_KEYS_9 = {
    "PS_STOCK_CUSTOMER_ORDER_REASON": 1,
    "PS_STOCK_CUSTOMER_ORDER_CANCEL_REASON": 2,
    "PS_STOCK_CUSTOMER_RETURN_REASON": 3,
    "PS_STOCK_MVT_INC_EMPLOYEE_EDITION": 4,
    "PS_STOCK_MVT_DEC_EMPLOYEE_EDITION": 5,
}

SHOP_NAME = "Mostrador Demo"
SHOP_DOMAIN = "demo.mostrador.test"
SHOP_ADDRESS = ("Calle Mayor, 12", "28013", "Madrid", "+34 910 000 000")


class Category(NamedTuple):
    code: str
    es: str
    en: str
    tax_group: int
    variants: str  # "apparel" (sizes × colours), "colours", "" (no combinations)
    price_range: tuple[int, int]  # tax-included euros
    nouns: tuple[tuple[str, str], ...]  # (es, en)
    qualifiers: tuple[tuple[str, str], ...]


CATEGORIES = (
    Category("CAM", "Camisetas", "T-shirts", 1, "apparel", (8, 35),
             (("Camiseta", "T-shirt"), ("Polo", "Polo shirt"), ("Camiseta técnica", "Sports tee")),
             (("de algodón orgánico", "organic cotton"), ("estampada", "printed"),
              ("de manga larga", "long-sleeved"), ("a rayas", "striped"), ("básica", "basic"))),
    Category("PAN", "Pantalones", "Trousers", 1, "apparel", (19, 69),
             (("Pantalón chino", "Chinos"), ("Vaquero", "Jeans"), ("Pantalón corto", "Shorts")),
             (("slim", "slim fit"), ("de lino", "linen"), ("elástico", "stretch"),
              ("cargo", "cargo"), ("de pana", "corduroy"))),
    Category("SUD", "Sudaderas", "Sweatshirts", 1, "apparel", (24, 59),
             (("Sudadera", "Sweatshirt"), ("Sudadera con capucha", "Hoodie"),
              ("Chaqueta", "Jacket")),
             (("de felpa", "fleece"), ("con cremallera", "zip-up"), ("oversize", "oversized"),
              ("bordada", "embroidered"))),
    Category("CAL", "Calzado", "Footwear", 1, "colours", (29, 99),
             (("Zapatillas", "Trainers"), ("Botines", "Ankle boots"), ("Sandalias", "Sandals"),
              ("Alpargatas", "Espadrilles")),
             (("de piel", "leather"), ("urbanas", "urban"), ("de lona", "canvas"),
              ("de montaña", "hiking"))),
    Category("ACC", "Accesorios", "Accessories", 1, "colours", (6, 45),
             (("Gorra", "Cap"), ("Bufanda", "Scarf"), ("Mochila", "Backpack"),
              ("Cinturón", "Belt"), ("Bolso", "Bag")),
             (("de lana", "wool"), ("reciclada", "recycled"), ("de piel", "leather"),
              ("impermeable", "waterproof"))),
    Category("HOG", "Hogar", "Home", 1, "", (5, 60),
             (("Taza", "Mug"), ("Cojín", "Cushion"), ("Vela aromática", "Scented candle"),
              ("Manta", "Throw"), ("Jarrón", "Vase")),
             (("de cerámica", "ceramic"), ("de lino", "linen"), ("artesanal", "handmade"),
              ("nórdica", "Nordic-style"))),
    Category("PAP", "Papelería", "Stationery", 1, "", (2, 25),
             (("Cuaderno", "Notebook"), ("Agenda", "Planner"), ("Bolígrafo", "Pen"),
              ("Estuche", "Pencil case")),
             (("A5", "A5"), ("de tapa dura", "hardcover"), ("reciclado", "recycled"),
              ("ilustrado", "illustrated"))),
    Category("LIB", "Libros", "Books", 5, "", (9, 29),
             (("Novela", "Novel"), ("Guía", "Guide"), ("Libro de cocina", "Cookbook"),
              ("Cuentos", "Short stories")),
             (("de viajes", "travel"), ("histórica", "historical"), ("infantil", "children's"),
              ("de bolsillo", "pocket edition"))),
    Category("ALI", "Alimentación", "Food", 2, "", (2, 18),
             (("Aceite de oliva virgen extra", "Extra virgin olive oil"), ("Turrón", "Nougat"),
              ("Mermelada", "Jam"), ("Café molido", "Ground coffee"), ("Chocolate", "Chocolate")),
             (("ecológico", "organic"), ("artesano", "artisan"), ("500 g", "500 g"),
              ("gran reserva", "premium"))),
    Category("BAS", "Despensa básica", "Staples", 4, "", (1, 6),
             (("Pan", "Bread"), ("Leche", "Milk"), ("Huevos", "Eggs"),
              ("Queso fresco", "Fresh cheese"), ("Harina", "Flour")),
             (("de pueblo", "farmhouse"), ("ecológica", "organic"), ("entera", "whole"),
              ("de la huerta", "local"))),
    Category("BEB", "Bebidas", "Drinks", 2, "", (1, 15),
             (("Zumo", "Juice"), ("Agua mineral", "Mineral water"), ("Refresco", "Soft drink"),
              ("Horchata", "Horchata")),
             (("natural", "natural"), ("sin azúcar", "sugar-free"), ("1 l", "1 l"),
              ("de naranja", "orange"))),
    Category("JUG", "Juguetes", "Toys", 1, "", (7, 49),
             (("Puzle", "Puzzle"), ("Peluche", "Soft toy"), ("Juego de mesa", "Board game"),
              ("Pelota", "Ball")),
             (("de madera", "wooden"), ("educativo", "educational"), ("de 500 piezas", "500-piece"),
              ("familiar", "family"))),
)  # fmt: skip

BRANDS = ("Ardilla", "Mar Azul", "Norte", "Cierzo", "Alba", "Tramontana", "Olivo", "Candil",
          "Sierra", "Lucero", "Garbí", "Mediterránea")  # fmt: skip

SIZES = ("S", "M", "L", "XL")
COLOURS = (  # es, en, hex
    ("Negro", "Black", "#000000"),
    ("Blanco", "White", "#ffffff"),
    ("Azul marino", "Navy", "#1f2a44"),
    ("Rojo", "Red", "#c0392b"),
    ("Verde oliva", "Olive", "#708238"),
    ("Gris", "Grey", "#95a5a6"),
    ("Beige", "Beige", "#d9c8a9"),
    ("Mostaza", "Mustard", "#d4a017"),
)

FIRST_NAMES = (
    ("Lucía", 2), ("María", 2), ("Carmen", 2), ("Paula", 2), ("Laura", 2), ("Marta", 2),
    ("Sofía", 2), ("Elena", 2), ("Ana", 2), ("Julia", 2), ("Irene", 2), ("Nerea", 2),
    ("Hugo", 1), ("Martín", 1), ("Pablo", 1), ("Daniel", 1), ("Alejandro", 1), ("Javier", 1),
    ("David", 1), ("Sergio", 1), ("Jorge", 1), ("Álvaro", 1), ("Iker", 1), ("Manuel", 1),
)  # fmt: skip
LAST_NAMES = (
    "García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez",
    "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez",
    "Romero", "Alonso", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Serrano",
    "Blanco", "Molina", "Castro", "Ortega", "Rubio", "Marín", "Sanz", "Iglesias", "Núñez",
)  # fmt: skip
STREETS = (
    "Calle Mayor", "Calle Real", "Avenida de la Constitución", "Calle del Sol", "Plaza de España",
    "Calle Nueva", "Paseo de la Castellana", "Calle de Alcalá", "Gran Vía", "Calle Colón",
    "Avenida Diagonal", "Calle San Vicente", "Calle de la Paz", "Rambla Nova", "Calle Larios",
)  # fmt: skip
NIF_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


class Supplier(NamedTuple):
    id: int
    code: str  # prefix of the supplier's own product references
    name: str  # supplier.name is varchar(64)
    es: str  # description (supplier_lang)
    en: str
    address: str
    postcode: str
    city: str
    province: str  # ISO 3166-2 of one of PROVINCES
    phone: str
    cif: str  # letter + 7 digits; the control digit is computed (demo_suppliers.cif)
    categories: tuple[str, ...]  # Category.code of the products it supplies


# Made-up wholesalers; every category has exactly one (the products' default supplier).
SUPPLIERS = (
    Supplier(1, "HTU", "Hilaturas del Turia S.L.", "Mayorista de ropa y complementos",
             "Clothing and accessories wholesaler", "Calle Ciudad de Sevilla, 14", "46988",
             "Paterna", "ES-V", "+34 961 000 415", "B4621873", ("CAM", "PAN", "SUD", "ACC")),
    Supplier(2, "CSE", "Calzados Segura S.L.", "Fabricante de calzado",
             "Footwear manufacturer", "Avenida de Europa, 32", "30500", "Molina de Segura",
             "ES-MU", "+34 968 000 227", "B3057419", ("CAL",)),
    Supplier(3, "MCI", "Menaje y Hogar Cierzo S.A.", "Menaje, textil de hogar y decoración",
             "Housewares, home textiles and decor", "Calle Río de Janeiro, 5", "50197",
             "Zaragoza", "ES-Z", "+34 976 000 318", "A5036142", ("HOG",)),
    Supplier(4, "DEN", "Distribuciones Editoriales Nervión S.L.",
             "Distribuidora de libros y papelería", "Books and stationery distributor",
             "Calle Astronomía, 1", "41015", "Sevilla", "ES-SE", "+34 954 000 693", "B4198356",
             ("PAP", "LIB")),
    Supplier(5, "UCA", "Ultramarinos y Bebidas del Cantábrico S.L.",
             "Alimentación y bebidas al por mayor", "Food and drinks wholesaler",
             "Calle Juan de la Cosa, 21", "33211", "Gijón", "ES-O", "+34 985 000 742", "B3342907",
             ("ALI", "BAS", "BEB")),
    Supplier(6, "JRA", "Juguetes Rías Altas S.L.", "Juguetes y juegos de mesa",
             "Toys and board games", "Calle Gutenberg, 8", "15008", "A Coruña", "ES-C",
             "+34 981 000 584", "B1573620", ("JUG",)),
)  # fmt: skip
