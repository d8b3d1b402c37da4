"""Needs, ideas and opportunities: posting, moderation, merging, flags, supports, comments."""
