"""`python -m robot`: the command line (robot/cli.py)."""

import sys

from robot.cli import main

sys.exit(main())
