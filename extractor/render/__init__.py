"""Renderers: a tutorial and its plan in, text out (the notebook pair, check.sh, the Dockerfile).

They decide nothing (the plan did) and import nothing that talks to Docker: no ``docker``,
no ``extractor.sandbox``.
"""
