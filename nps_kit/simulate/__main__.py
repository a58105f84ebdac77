"""``python -m nps_kit.simulate --out data [--seed 2024]``: (re)write the demo files."""

import sys

from nps_kit.simulate.files import main

sys.exit(main())
