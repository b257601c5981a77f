"""The desktop app: main window, panels, models, dialogs, charts and printing (PySide6)."""
