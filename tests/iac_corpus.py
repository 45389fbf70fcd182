"""Where the shared corpus is for the IaC tests: beside the checkout (as in CI), or
``$ECSLINT_CORPUS`` (a worktree elsewhere)."""

from __future__ import annotations

import pytest

from tests.conftest import CORPUS

IAC_CORPUS = CORPUS

needs_iac_corpus = pytest.mark.skipif(
    not IAC_CORPUS.is_dir(), reason="the shared corpus is not beside the checkout"
)
