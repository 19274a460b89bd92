"""`python -m pipeline.cli`: the same as the `locpipe` command."""

import sys

from pipeline.cli.main import main

sys.exit(main())
