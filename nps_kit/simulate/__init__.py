"""The synthetic demo world and its files."""
