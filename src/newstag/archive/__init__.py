"""The archive: tagged articles stored in SQLite (default) or PostgreSQL, searched and counted by tag.

An edge like the service: it calls the batch layer and the emitters, never a stage.

    schema.py      the tables, described once, rendered for both dialects
    migrations/    numbered schema versions
    backends.py    connections: SQLite (WAL) and PostgreSQL (psycopg 3, COPY); `open_archive(url)`
    store.py       records -> rows: added / replaced / unchanged by id and content hash
    filters.py     search filters -> SQL;  facets.py  counts per topic and region of a result
    queries.py     search, one article, stats, months, export
    commands.py    `newstag archive add | search | stats | export | retag` (cli.py: their options)
"""
