"""Reusable widgets: the cloud offer picker, the cost summary table."""
