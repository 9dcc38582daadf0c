"""Staff pages: work queues, the dossier work page with one form per action, counter registration, the
tracking book export and the national portal synchronisation. Each view gets the object for this user, validates a form, calls one service, redirects."""

from dossiers.views.officer.book import tracking_book
from dossiers.views.officer.counter import counter_register
from dossiers.views.officer.national import national_procedure, national_retry, national_sync
from dossiers.views.officer.queues import officer_home, queue_list
from dossiers.views.officer.work import dossier_act, dossier_work

__all__ = [
    "counter_register",
    "dossier_act",
    "dossier_work",
    "national_procedure",
    "national_retry",
    "national_sync",
    "officer_home",
    "queue_list",
    "tracking_book",
]
