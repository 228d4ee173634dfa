"""What is right and how well they did: the reference solver, answers, scoring and reports."""
