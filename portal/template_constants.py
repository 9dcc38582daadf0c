"""Template tags whose output is fixed once the language is: rendered once per language and process.

A page's layout and body hold dozens of ``{% translate "…" %}``, ``{% url 'name' %}`` and ``{% static '…' %}`` with
nothing but constants as arguments; Django works each of them out again on every render (a ``gettext``, a
``reverse()``, a manifest lookup). The template loader here (the cached loader, which every environment uses) walks a
template once when it is first loaded and wraps each such node so that its output is kept, per node, under what the
output can depend on: the active language, whether the context escapes, and for a URL the script prefix, the URLconf
and the current application namespace. The node itself renders the first time, so the output is exactly Django's.

What is kept is made from code and the translation catalogues, never from data, and is dropped whenever a setting
changes (tests override settings; a deployment restarts its workers to change them).
"""

from django.core.signals import setting_changed
from django.template import Node, NodeList
from django.template.base import TokenType, Variable
from django.template.defaulttags import IfNode, URLNode
from django.template.loaders import cached
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

# A node keeps at most this many outputs (languages × escaping × namespaces seen); past it, it renders each time.
_MAX_OUTPUTS = 64
_generation = [0]


def _settings_changed(**kwargs) -> None:
    _generation[0] += 1


setting_changed.connect(_settings_changed, dispatch_uid="portal.template_constants")


class Loader(cached.Loader):
    """Django's cached loader, with each template's fixed nodes wrapped once, when it is first loaded."""

    def get_template(self, template_name, skip=None):
        template = super().get_template(template_name, skip)
        if not getattr(template, "_fixed_nodes_wrapped", False):
            _wrap_fixed(template.nodelist)
            template._fixed_nodes_wrapped = True
        return template


def _wrap_fixed(nodelist: NodeList) -> None:
    for index, node in enumerate(nodelist):
        key = _key_of(node)
        if key is not None:
            nodelist[index] = FixedOutput(node, key)
            continue
        for child in _child_nodelists(node):
            _wrap_fixed(child)


def _child_nodelists(node: Node) -> list[NodeList]:
    if isinstance(node, IfNode):  # its ``nodelist`` is built on each access from its branches
        return [branch for _condition, branch in node.conditions_nodelists]
    return [
        child for name in node.child_nodelists if isinstance(child := getattr(node, name, None), NodeList)
    ]


def _constant(expression) -> bool:
    """A filter expression that is a literal with no filters (``"text"``, ``'name'``, ``3``)."""
    if expression is None:
        return True
    return not expression.filters and (
        not isinstance(expression.var, Variable) or expression.var.lookups is None
    )


def _language_key(context):
    return (get_language(), context.autoescape)


def _url_key(context):
    request = context.get("request")
    current_app = getattr(request, "current_app", None)
    if current_app is None:
        current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
    return (get_language(), context.autoescape, get_script_prefix(), get_urlconf(), current_app)


def _escaping_key(context):
    return context.autoescape


def _key_of(node: Node):
    """How the node's output varies, if it is fixed by its arguments; ``None`` when it reads the context."""
    if isinstance(node, TranslateNode):
        if node.asvar is None and _constant(node.filter_expression) and _constant(node.message_context):
            return _language_key
    elif isinstance(node, BlockTranslateNode):
        if (
            node.asvar is None
            and not node.extra_context
            and not node.plural
            and node.counter is None
            and _constant(node.message_context)
            and all(token.token_type == TokenType.TEXT for token in node.singular)
        ):
            return _language_key
    elif isinstance(node, URLNode):
        if (
            node.asvar is None
            and _constant(node.view_name)
            and all(_constant(arg) for arg in node.args)
            and all(_constant(value) for value in node.kwargs.values())
        ):
            return _url_key
    elif isinstance(node, StaticNode) and node.varname is None and _constant(node.path):
        return _escaping_key
    return None


class FixedOutput(Node):
    """A node whose output is kept under ``key(context)`` after it first renders."""

    child_nodelists = ()

    def __init__(self, node: Node, key) -> None:
        self.node = node
        self.key = key
        self.token = node.token
        self.origin = node.origin
        self.outputs: dict = {}
        self.generation = _generation[0]

    def __repr__(self) -> str:
        return f"<{self.__class__.__qualname__}: {self.node!r}>"

    def render(self, context) -> str:
        if self.generation != _generation[0]:
            self.outputs = {}
            self.generation = _generation[0]
        key = self.key(context)
        try:
            return self.outputs[key]
        except KeyError:
            pass
        output = self.node.render(context)
        if len(self.outputs) < _MAX_OUTPUTS:
            self.outputs[key] = output
        return output
