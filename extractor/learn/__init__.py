"""Learner mode (``tutorcheck step``): the walk, what it shows, the saved position, the sandbox it runs in.

``workspace``: what a step asks of the session and what the session can do (run; checkpoints
and a terminal when it is the sandbox). ``judge``: a step's outcome against the article.
``view``: the screen (rich on a terminal, plain text in a transcript). ``walk``: the loop of
answers (run, edit, skip, terminal, back, jump, reset, quit). ``store``: the position and the
checkpoints kept between runs. ``sandboxed``: the sandbox session as a workspace.
"""
