"""The Anki export: bank notes -> note fields (`notes`), note types (`models`), the build
manifest that keeps ids and modification times stable across builds (`manifest`), and the
hermetic `.apkg` writer (`package`).

Only `trainer build` and `trainer sync` import this package; only the build, genanki.
"""

PACKAGE_SUFFIX = ".apkg"
"""An Anki package's file name ends so (`trainer build`'s output, `recover`'s input)."""
