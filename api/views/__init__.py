"""The API's views: constitutions and their versions, conversations' raw data, the docs page."""
