"""Sources: where the task definitions of a run come from (paths, stdin, an AWS account)."""
