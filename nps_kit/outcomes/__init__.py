"""NPS against customer outcomes: LTV and churn by category, models, aggregates."""
