"""What is asked: templates, their sampling, the bank and the assignments."""
