"""The national public-service portal (Cổng DVCQG) seen from the dossiers app: what is sent (mapping, outbox), what
arrives (incoming), and how much of the catalogue is synchronised (coverage). The HTTP client is
``integrations.dvcqg``."""
