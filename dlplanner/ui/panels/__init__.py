"""Panels of the main window: catalog, parts list, findings, cost and timeline."""
