"""Estimators on counts (NPS, intervals, comparisons, equivalence), number and p-value formatting, literal display text and the small-n policy. Imports nothing above itself."""
