"""The command line: ``newsdesk extract|ingest|search|show|stats|export`` (see cli.main)."""
