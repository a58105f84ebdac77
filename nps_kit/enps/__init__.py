"""Employee NPS with anonymity protection, comments and wave changes."""
