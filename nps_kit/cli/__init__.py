"""Command line interface of nps-kit: a thin layer over the public functions."""
