"""``python -m nps_kit``: the command line, as ``nps-kit``."""

import sys

from nps_kit.cli.main import main

sys.exit(main())
