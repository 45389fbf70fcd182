"""ecslint: a linter and policy checker for Amazon ECS task definitions."""

__version__ = "0.1.0"
