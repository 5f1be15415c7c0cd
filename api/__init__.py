"""The public REST API under /api/v1/: it reads both domain apps, and neither imports it."""
