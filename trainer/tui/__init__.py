"""The Textual review trainer (`trainer review`)."""
