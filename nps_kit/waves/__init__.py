"""Wave-over-wave comparison, survey protocol and channel-mix checks, control charts.

The face of the capability: ``from nps_kit import waves`` gives the functions a report uses.

- :mod:`nps_kit.waves.read`: one file with a wave column, or a file per wave;
- :mod:`nps_kit.waves.prepare`: responses coded for the estimators;
- :mod:`nps_kit.waves.changes`: NPS per wave, changes with tests for independent, paired and
  overlapping samples, adjusted p-values, transitions, the plain-language summary;
- :mod:`nps_kit.waves.engine`: the same counts from an engine table;
- :mod:`nps_kit.waves.protocol`, :mod:`nps_kit.waves.channels`: comparability checks;
- :mod:`nps_kit.waves.control_chart`: signal or noise, and the trend.

Wave order: :mod:`nps_kit.core.waveorder` (one order for the whole kit).
"""

from nps_kit.core.waveorder import describe_order, order_waves
from nps_kit.waves.changes import (CHANGE_COLUMNS, WaveComparison, compare_waves, describe_changes,
                                   transition_matrix, transitions, wave_changes, wave_table)
from nps_kit.waves.read import LoadedWaves, read_waves

__all__ = ["CHANGE_COLUMNS", "LoadedWaves", "WaveComparison", "compare_waves", "describe_changes",
           "describe_order", "order_waves", "read_waves", "transition_matrix", "transitions",
           "wave_changes", "wave_table"]
