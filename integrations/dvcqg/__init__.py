"""The national public-service portal (Cổng Dịch vụ công quốc gia, DVCQG): a typed client for its one-stop
services (``client.py``), its date format (``dates.py``) and its errors (``errors.py``)."""
