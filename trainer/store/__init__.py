"""The review store: one SQLite database of review items, their SM-2 schedules and the review log.

Modules: `paths` (where the database lives), `guard` (refuse what is not ours, before any write),
`schema` (named migrations), `database` (connections, transactions), `backup` (daily copies),
`items` and `log` (the two tables), `sync` (keeping items in step with the bank), `lock` (one
review session at a time).
"""
