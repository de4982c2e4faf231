"""vig-tui: make, check and allocate Video Interaction Guidance requests, offline."""

__version__ = "0.1.0"
