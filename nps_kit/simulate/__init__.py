"""The SYNTHETIC demo world and its files (not real survey data).

- :mod:`nps_kit.simulate.draws`: seeded draws (scores from shares, counts, random streams);
- :mod:`nps_kit.simulate.phrases`: invented names and comment phrases;
- :mod:`nps_kit.simulate.world`: customers, survey waves and protocol, outcomes, employees;
- :mod:`nps_kit.simulate.files`: the demo files and ``python -m nps_kit.simulate``.

The face: ``from nps_kit import simulate`` gives the public functions of all four.
"""

from nps_kit.simulate.draws import DEFAULT_SEED, score_probabilities, simulate_counts, simulate_scores
from nps_kit.simulate.files import demo_file_bytes, protocol_records, write_demo_data
from nps_kit.simulate.world import (
    CHANGED_WAVE, CUSTOMER_THEMES, DEFAULT_WAVES, DEMO_FILES, EMPLOYEE_THEMES, LOCATIONS, QUESTION,
    QUESTION_CHANGED, REGIONS, SEGMENTS, TENURE_BANDS, VENDOR,
    simulate_customers, simulate_employees, simulate_employees_previous, simulate_headcount,
    simulate_outcomes, simulate_protocol, simulate_responses, simulate_world, true_nps,
)

__all__ = [
    "CHANGED_WAVE", "CUSTOMER_THEMES", "DEFAULT_SEED", "DEFAULT_WAVES", "DEMO_FILES",
    "EMPLOYEE_THEMES", "LOCATIONS", "QUESTION", "QUESTION_CHANGED", "REGIONS", "SEGMENTS",
    "TENURE_BANDS", "VENDOR", "demo_file_bytes", "protocol_records", "score_probabilities",
    "simulate_counts", "simulate_customers", "simulate_employees", "simulate_employees_previous",
    "simulate_headcount", "simulate_outcomes", "simulate_protocol", "simulate_responses",
    "simulate_scores", "simulate_world", "true_nps", "write_demo_data",
]
