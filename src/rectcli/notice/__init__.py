"""The notice: its model (format 2), the file format (load, save, schema, format 1 → 2), the
checks a notice file keeps, and what can be read from one notice (ids, documents, figures, stats)."""
