"""Complete a build: from a few chosen parts to whole builds that pass every check."""
