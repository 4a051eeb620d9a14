"""`python -m gateway` runs the `teamgraph` command line."""

import sys

from gateway.cli import main

sys.exit(main())
