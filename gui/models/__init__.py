"""Qt item models: data in, rows out; no widget and no store access in here."""
