"""Output: results as JSON-ready data, renderers per mode (Rich, plain, JSON), export formats,
and the safe writing of text to terminals and files."""
