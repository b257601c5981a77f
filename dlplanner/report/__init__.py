"""Results into words and documents, without Qt.

Money and dates (:mod:`.format`), names of plans, offers and stages (:mod:`.names`), the
shopping list and its text exports, the findings and the cost comparison as text and JSON,
and the printable HTML report. ``report`` reads ``domain`` and ``rules`` and writes files
through ``io``; the window, the printer and the command line all word things through it.
"""
