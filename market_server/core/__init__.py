"""Configuration, database and security plumbing of the market server."""
