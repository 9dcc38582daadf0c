"""How every form of the portal renders and words its "required" errors (``FORM_RENDERER``).

``PortalFormRenderer`` renders ``{{ field.as_field_group }}`` with ``templates/forms/field.html``: the label says
"(bắt buộc)" in words for a required field, help text and errors are tied to the input with ``aria-describedby``
(Django's own ids, ``<id>_helptext`` and ``<id>_error``, which the error summary links next to), and each error
starts with a visually hidden "Lỗi:". Forms keep Django's ``required`` attribute, so assistive technology announces
the field as required; the ``<form>`` carries ``novalidate`` so the browser shows no pop-up of its own and every
message comes from the server in the page's language.

Field-specific messages: a required field that was given no "required" message of its own says which field is
missing ("Vui lòng nhập họ và tên.", "Vui lòng chọn vai trò.") instead of Django's "Trường này là bắt buộc.". The
renderer supplies the bound-field class that words it, so every form gets it without opting in, including the
forms of django-allauth. A form or field with its own ``error_messages["required"]`` keeps that message; a form
that sets its own ``renderer`` or ``bound_field_class`` opts out.
"""

from __future__ import annotations

from pathlib import Path

import django.forms
from django import forms
from django.conf import settings
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext

# Django's own message ("This field is required." / "Trường này là bắt buộc."): a field still holding this object
# was given no message of its own.
DJANGO_REQUIRED_MESSAGE = forms.Field.default_error_messages["required"]

CHOICE_WIDGETS = (forms.Select, forms.SelectMultiple, forms.RadioSelect, forms.CheckboxSelectMultiple)


def _label_in_sentence(label: str) -> str:
    """The label as it reads inside a sentence: "Họ và tên" becomes "họ và tên"; an acronym or a name with
    capitals inside its first word ("CCCD", "VNeID") stays as written."""
    label = str(label).strip().rstrip(":*").strip()
    first_word = label.split(" ", 1)[0]
    if first_word[1:] == first_word[1:].lower():
        return label[:1].lower() + label[1:]
    return label


def required_message(field: forms.Field, label: str) -> str:
    """The sentence for ``field`` left empty, naming it by ``label``, in the active language."""
    widget = field.widget
    if isinstance(field, forms.BooleanField) or isinstance(widget, forms.CheckboxInput):
        return gettext("Vui lòng đánh dấu ô “%(label)s”.") % {"label": str(label).strip().rstrip(":")}
    if isinstance(field, forms.FileField | forms.ChoiceField) or isinstance(widget, CHOICE_WIDGETS):
        return gettext("Vui lòng chọn %(label)s.") % {"label": _label_in_sentence(label)}
    return gettext("Vui lòng nhập %(label)s.") % {"label": _label_in_sentence(label)}


# Worded when shown, not when the form is built: the language is the page's, and a lazy label is translated then.
_required_message_lazy = lazy(required_message, str)


class SearchInput(forms.TextInput):
    """``<input type="search">``: a search box that keeps the field's label, errors and ``aria-describedby``."""

    input_type = "search"


class PortalBoundField(BoundField):
    """Django's bound field, which gives a required field without a message of its own one that names it.

    Forms copy their fields per instance (``Form.__init__`` deep-copies ``base_fields``, and ``Field.__deepcopy__``
    copies ``error_messages``), so the message set here belongs to this form instance only. Every field is bound
    before it is cleaned (``Form._clean_fields`` goes through the bound fields), so the message is in place when
    ``Field.validate`` raises it.
    """

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        if field.required and field.error_messages.get("required") is DJANGO_REQUIRED_MESSAGE and self.label:
            field.error_messages["required"] = _required_message_lazy(field, self.label)

    @property
    def marked_required(self) -> bool:
        """Whether the label says "(bắt buộc)": the person has to fill this in (a disabled field is not theirs)."""
        return self.field.required and not self.field.disabled


class PortalFormRenderer(DjangoTemplates):
    """Django's template renderer, with the portal's field group (``templates/forms/field.html``) and bound field.

    Its template engine reads the project's ``templates/`` before Django's form templates, so a template under
    ``templates/forms/`` (or one of Django's form templates overridden under ``templates/django/forms/``) is the
    portal's own.
    """

    field_template_name = "forms/field.html"
    bound_field_class = PortalBoundField

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": False,
                "DIRS": [
                    Path(settings.BASE_DIR) / "templates",
                    Path(django.forms.__file__).parent / self.backend.app_dirname,
                ],
                "NAME": "portalforms",
                "OPTIONS": {"loaders": settings.TEMPLATES[0]["OPTIONS"]["loaders"]},
            }
        )
