"""python -m rencontres.networking.scheduler: see command.py."""

import sys

from .command import main

sys.exit(main())
