"""Files: the hardened YAML reader, build and catalog files, autosave, exports, resources."""
