"""The till: local store (SQLite), ticket series, cash sessions, outbox."""
