"""A note type module outside the package, loaded into `trainer.notetypes` by the tests."""
