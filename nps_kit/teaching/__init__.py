"""Simulations and exercises behind the teaching notebooks."""
