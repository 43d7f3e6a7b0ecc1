"""Background synchronisation with the shop database: catalog pull, sales push."""
