"""Dialogs: small editors the panels open."""
