"""Printable documents of the one-stop system (Circular 01/2018 forms): HTML templates rendered to PDF with the
fonts shipped in ``portal/pdf/fonts/`` and nothing fetched from outside. Public entry points: ``dossiers.pdf.store``
(Mẫu 01–05) and ``dossiers.tracking_book`` (Mẫu 06)."""
