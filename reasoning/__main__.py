"""`python -m reasoning` is the `chosaku` command."""

import sys

from .cli import main

sys.exit(main())
