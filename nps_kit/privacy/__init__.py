"""Redaction of identifiers and cell suppression with its disclosure audit."""
