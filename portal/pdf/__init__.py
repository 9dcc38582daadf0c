"""HTML templates to PDF bytes with the fonts shipped in ``portal/pdf/fonts/`` and nothing fetched from outside
(``render.py``); any app that prints a document uses it."""
