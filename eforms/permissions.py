"""Who may edit a procedure's declaration form: whoever may edit the procedure in the catalogue (province admins all
of them, a department admin those their agency is competent for)."""

from portal.catalog.permissions import can_manage_catalog, procedures_editable_by


def can_edit_definition(user, procedure) -> bool:
    if not user.is_authenticated or not can_manage_catalog(user):
        return False
    return procedures_editable_by(user).filter(pk=procedure.pk).exists()
