"""Qt item models for the catalog browser, the parts list and the upgrade timeline."""
