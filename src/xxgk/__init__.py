"""xxgk — Git-based content engine for Chinese government information disclosure portals."""

__version__ = "0.1.0"
