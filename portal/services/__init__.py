"""Business rules as plain functions, shared by the HTML views, the API and the CLI."""
