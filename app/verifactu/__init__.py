"""VERI*FACTU (RD 1007/2023, Orden HAC/1177/2024): every ticket a chained invoice record.

* :mod:`app.verifactu.chain` — the record's fingerprint ("huella", SHA-256) and chain checks;
* :mod:`app.verifactu.records` — the records written with each ticket, in its transaction;
* :mod:`app.verifactu.recipient` — who a full invoice (F1, F3, R1) is issued to, tax ids checked;
* :mod:`app.verifactu.qr` — the AEAT's verification URL printed as a QR on the ticket;
* :mod:`app.verifactu.xml` — ``RegFactuSistemaFacturacion`` SOAP messages and their answers;
* :mod:`app.verifactu.sender` — the durable queue sending records to the AEAT;
* :mod:`app.verifactu.clock` — the till's clock against the shop server's.

See ``docs/verifactu.md``.
"""
