"""The review store: one SQLite database of banks, their review items with SM-2 schedules, the
notes they show, and the review log. It never reads bank files (`trainer.library` does).

Modules: `paths` (where the database lives), `guard` (refuse what is not ours, before any write),
`schema` (named migrations), `database` (connections, transactions), `backup` (daily copies),
`banks`, `items`, `cards` (the notes) and `log` (the tables), `sync` (keeping a bank's items
in step with it), `reports` (queues and statistics), `undo` (the undo journal), `lock` (one
review session at a time).
"""
