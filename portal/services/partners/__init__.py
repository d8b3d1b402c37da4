"""Partner organisations: forwarding, API tokens, webhooks."""
