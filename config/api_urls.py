"""Everything under /api/v1/: each app serves its own API module."""

urlpatterns: list = []
