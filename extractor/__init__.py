"""tutorcheck: tutorials into notebooks and sandboxed checks."""

__version__ = "0.1.0"
