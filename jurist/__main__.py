import sys

from jurist.cli import main

sys.exit(main())
