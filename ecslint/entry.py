"""The ``ecslint`` console script: plain ``check`` runs skip typer, the rest goes to it.

Never lets a traceback reach the user: an unexpected error is one line and exit 2.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """The command line ``argv`` (default: the process's), run to its exit code.

    A plain ``check`` from the console script (``argv`` None) defers garbage collection
    through the start-up (``ecslint.commands.start_up``) and ends the process with
    ``os._exit`` once its streams are flushed: tearing the interpreter down (freeing every
    module, a last collection) cost about a twelfth of a one-file run, for nothing the
    user sees. Called with ``argv`` (tests, a library), it raises SystemExit as usual.
    """
    args = sys.argv[1:] if argv is None else list(argv)
    _safe_streams()
    try:
        from ecslint.commands import start_up
        from ecslint.commands.quickargs import parse_check

        options = parse_check(args)
        if options is None:
            from ecslint.cli import app

            app(args=args, prog_name="ecslint")
            return
        if argv is None and gc.isenabled():
            start_up.defer_collection()
        from ecslint.commands.check import UsageError, run_check

        try:
            code = run_check(options)
        except UsageError as exc:
            print(f"ecslint: error: {exc}", file=sys.stderr)
            code = 2
        finally:
            start_up.end()
        sys.stdout.flush()
        if argv is None:
            sys.stderr.flush()
            os._exit(code)
        sys.exit(code)
    except KeyboardInterrupt:
        print("ecslint: interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (``ecslint check ... | head``): stop quietly, as a
        # process killed by SIGPIPE would, and keep the exit flush from failing again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        if argv is None:  # nothing left to tear down (check closed its --jobs workers)
            sys.stderr.flush()
            os._exit(141)
        sys.exit(141)
    except SystemExit:
        raise
    except Exception as exc:  # the last line of defence: exit 2 with one line
        print(f"ecslint: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(2)


def _safe_streams() -> None:
    """Streams that can write any string, and that exist even when closed (``>&-``).

    A lone surrogate (``"\\ud800"`` is a valid JSON escape) or a file name with a
    byte that is not UTF-8 is written as a backslash escape, never an error. A
    closed stdout or stderr becomes the null device (the exit code still tells);
    a closed stdin is refused by the reader of ``-``.
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
            if name == "stdout" and sys.stderr is not None:
                print("ecslint: note: stdout is closed; the report is not printed", file=sys.stderr)
        else:
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors="backslashreplace")
