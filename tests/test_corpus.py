"""Every real-world file of the shared corpus goes through one run without a crash."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import CORPUS, needs_corpus


@needs_corpus()
def test_whole_corpus_in_one_run_without_traceback() -> None:
    files = sorted(
        str(path)
        for folder in ("taskdef", "cfn", "terraform", "fixtures")
        for path in (CORPUS / folder).iterdir()
        if path.is_file()
    )
    assert len(files) > 150
    result = subprocess.run(
        [sys.executable, "-m", "ecslint", "check", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    document = json.loads(result.stdout)
    assert document["summary"]["files"] == len(files)
    # Every file is accounted for: linted, skipped with a reason, or a file-level finding.
    assert document["summary"]["task_definitions"] >= 100
    for finding in document["findings"]:
        assert finding["line"] >= 1 and finding["column"] >= 1
