"""``python -m nps_kit.simulate --out data [--seed 2024]``: (re)write the demo files."""

import sys

from nps_kit.simulate.world import main

sys.exit(main())
