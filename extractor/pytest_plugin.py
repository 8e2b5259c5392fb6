"""pytest plugin entry point (pytest11). The harness engineer fills this in; it must stay
inert unless its opt-in option is given, because the project's own tests load it."""
