"""Sandboxed checks: plan a tutorial's steps, run them in one Docker session per article.

plan (pure) → images (recipes in sandboxes/) → session (one container, one shell) → runner
(``check_tutorial``) ; checkscript renders the standalone check.sh / Dockerfile.
"""
