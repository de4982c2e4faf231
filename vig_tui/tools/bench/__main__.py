"""``python -m vig_tui.tools.bench``: see :mod:`vig_tui.tools.bench`."""

from . import main

raise SystemExit(main())
