"""The Anki export: bank notes -> note fields (`notes`), note types (`models`), the build
manifest that keeps ids and modification times stable across builds (`manifest`), and the
hermetic `.apkg` writer (`package`).

Only `trainer build` imports this package (and with it genanki).
"""
