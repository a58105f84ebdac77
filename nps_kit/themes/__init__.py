"""Coding open answers into themes with codebooks, theme statistics and examples."""
