"""Study design: sample sizes and margins, power and detectable changes, fieldwork."""
