"""Item pipelines: clean -> validate -> dedup -> store."""
