"""View models for templates: the shapes pages draw, computed away from the views."""
