"""``python -m vig_tui.bench``: see :mod:`vig_tui.bench`."""

from . import main

raise SystemExit(main())
