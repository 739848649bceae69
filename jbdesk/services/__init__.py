"""Application services: what the UI and the CLI call. They return frozen domain objects."""
