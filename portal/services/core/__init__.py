"""What every domain uses: errors, audit journal, outbox, text, SQL helpers, signed tokens."""
