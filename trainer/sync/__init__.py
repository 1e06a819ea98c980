"""`trainer sync`: one schedule across the trainer and an Anki collection (a collection file,
or the trainer's own device on an Anki sync server: `server`).

Bank -> Anki (`notes`): notes are matched by the GUIDs the package uses
(`manifest.note_guid`), so notes imported from a built `.apkg` are updated, never duplicated.
Notes are added, updated, given a new note type (Anki's change-notetype keeps the history of
every surviving card), their cards moved into the bank's deck (renamed when the bank's deck
name changed), and notes that left the bank are tagged `trainer-removed` (deleted only when
asked).

Reviews both ways (`answers`, reading Anki's log through `anki_log`): an answer is the same on
both sides when it is for the same item at the same millisecond (Anki's log ids are those), so
nothing is copied twice, two answers in one second stay two, and a run that was killed is
completed by the next one. Each item's merged history is replayed through the deck's
scheduler (`trainer.replay`) and the schedule written to both sides (`cards`). Everything read
is compared first: a sync with nothing new writes nothing (`syncer` runs the passes, `plan`
says what they did).
"""
