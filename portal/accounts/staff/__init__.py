"""Staff management in an admin's own scope: a department admin manages the officers of their agencies, a province
admin everyone. Pages under /tai-khoan/can-bo/ (staff pages: the second factor is required before they open)."""
