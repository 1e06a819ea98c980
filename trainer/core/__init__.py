"""The domain's vocabulary: grades, answer kinds, card states, item keys, undoable actions,
limits and caps (the note types are `trainer.notetypes`).

Every layer imports these words from here and none restates them. Pure and light: the standard
library only, so even the leanest command may import them.
"""
