"""`python -m chosaku` is the `chosaku` command."""

import sys

from .cli import main

sys.exit(main())
