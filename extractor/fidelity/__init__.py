"""The yardstick: labelled tutorials (what a careful reader concludes about every step) and how
far tutorcheck's verdicts agree with them (``labels`` → ``run`` → ``score``)."""
