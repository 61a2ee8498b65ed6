"""Reading the files: strict YAML with positions, the mistakes people make in YAML, the
parse cache, and the loader that reads a playbook folder into raw records.

May import `generator.errors` and `generator.runtime` only: nothing here knows the model.
"""
