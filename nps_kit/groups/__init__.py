"""Comparing many groups: empirical-Bayes shrinkage and key drivers."""
