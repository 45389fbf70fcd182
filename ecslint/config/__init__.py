"""Configuration: finding and reading the file, its model, selection, params and globs."""
