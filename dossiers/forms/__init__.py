"""The forms of the dossier pages, one module per page: they check what a person typed and hand clean values to
``filing``/``services``. The rules of the workflow stay in the services."""
