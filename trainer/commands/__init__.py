"""One module per CLI command, each with `run(args) -> exit code`; imported only when used."""

import atexit
import gc


def spare_the_collection_at_exit() -> None:
    """At exit, hand every object left to `gc.freeze`, so that the interpreter's last cyclic
    garbage collections do not walk them all (the modules, classes and functions imported:
    14M instructions of a five-bank `stats --json`). For the commands that only read: what
    they open they close, and their output is flushed before exit, so no finalizer waits on
    those collections. Registered with `atexit`, so that a test calling `cli.main` leaves
    its own process's collector as it was."""
    atexit.register(gc.freeze)
