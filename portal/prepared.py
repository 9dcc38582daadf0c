"""Queries compiled once per process and then run many times with a different value: for the reads of the hottest
pages, where Django compiling the same query again on every request costs more than running it.

``Prepared(lambda code: Procedure.objects.filter(code=code, is_active=True)[:1], sentinel="")`` builds the
queryset once with ``sentinel`` in place of the value, compiles it per database connection (alias and vendor) the
first time it runs there, and afterwards each ``prepared(value)`` executes that SQL with ``value`` in the
sentinel's place and converts the rows as the ORM would (the backend's and the fields' converters: JSON, decimals,
dates on SQLite). It returns model instances for a plain queryset (one model, no ``select_related``) and tuples for
``values_list(...)``. The queryset must use the sentinel exactly once among its parameters; anything else is
refused when it is compiled, so a query that cannot be prepared fails in the first test that runs it.

A tuple sentinel stands for a list of values (``id__in=sentinel``): the SQL holds as many parameters as the tuple
has items, and ``prepared(values)`` fills them with up to that many values, the rest with the sentinel's first item
(a value no row has), so the same SQL serves a page of 1 or of 50 rows; more values are read that many at a time.

Measured in process on the catalogue (bench/README.md, issue 11): a procedure's channels 0.52 ms through the ORM,
0.13 ms prepared; the procedure itself 0.87 → 0.17 ms.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet
from django.db.models.base import ModelState
from django.db.models.query import ModelIterable, ValuesListIterable
from django.db.models.signals import post_init, pre_init

NO_ID = -7_301_987  # a sentinel for an id: no row has it


def no_ids(count: int) -> tuple[int, ...]:
    """A sentinel for a list of up to ``count`` ids (``id__in=``): ids no row has."""
    return tuple(range(NO_ID, NO_ID - count, -1))


class _Compiled:
    def __init__(self, queryset: QuerySet, alias: str, sentinel: Any):
        compiler = queryset.query.get_compiler(alias)
        self.sql, params = compiler.as_sql()
        wanted = list(sentinel) if isinstance(sentinel, tuple) else [sentinel]
        positions = [i for i, param in enumerate(params) if param in wanted]
        if len(positions) != len(wanted) or positions != list(
            range(positions[0], positions[0] + len(wanted))
        ):
            raise ImproperlyConfigured(
                f"{queryset.model.__name__}: the sentinel must be one parameter: {params}"
            )
        self.params, self.position, self.size = list(params), positions[0], len(wanted)
        self.filler = wanted[0]
        select = [expression for expression, _sql, _alias in compiler.select]
        self.compiler = compiler
        self.converters = compiler.get_converters(select)
        self.model = queryset.model
        if queryset._iterable_class is ModelIterable:
            if compiler.klass_info and compiler.klass_info.get("related_klass_infos"):
                raise ImproperlyConfigured(f"{self.model.__name__}: select_related cannot be prepared")
            self.attnames = [expression.target.attname for expression in select]
        elif queryset._iterable_class is ValuesListIterable:
            self.attnames = None
        else:
            raise ImproperlyConfigured(f"{self.model.__name__}: only model rows or values_list() tuples")

    def run(self, alias: str, value: Any) -> list:
        if self.size == 1:
            return self._run(alias, value)
        values = list(value)
        return [
            row
            for start in range(0, len(values), self.size)
            for row in self._run(alias, values[start : start + self.size])
        ]

    def _run(self, alias: str, value: Any) -> list:
        params = list(self.params)
        if self.size == 1:
            params[self.position] = value
        else:
            params[self.position : self.position + self.size] = value + [self.filler] * (
                self.size - len(value)
            )
        with connections[alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]
        if self.attnames is None:
            return rows
        build = builder(self.model, alias, self.attnames)
        return [build(row) for row in rows]


def builder(model, alias: str, attnames) -> Callable[[Any], Any]:
    """A function making, from a row's values in the order of ``attnames``, what ``model.from_db`` would (the columns
    not read deferred). When nothing listens to the model's init signals (asked once here, not once a row), without
    ``Model.__init__``: the values go straight into the new instance's ``__dict__``, where ``__init__`` would have
    put them one ``setattr`` at a time after sending ``pre_init``, before ``post_init``."""
    names = tuple(attnames)
    # Refuses a name that is no column (kept per model and names).
    ordered, positions = _field_order(model, names)
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return lambda values: model.from_db(alias, ordered, tuple(values[i] for i in positions))

    def build(values):
        new = model.__new__(model)
        state = new._state = ModelState()
        state.adding, state.db = False, alias
        new.__dict__.update(zip(names, values, strict=True))
        return new

    return build


@lru_cache(maxsize=64)
def _field_order(model, attnames: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    positions = {attname: i for i, attname in enumerate(attnames)}
    ordered = [field.attname for field in model._meta.concrete_fields if field.attname in positions]
    if len(ordered) != len(attnames):
        raise ImproperlyConfigured(f"{model.__name__} has no column among {attnames} for each")
    return tuple(ordered), tuple(positions[attname] for attname in ordered)


class Prepared:
    """``make(sentinel)`` compiled once per connection; ``prepared(value)`` runs it with ``value``."""

    def __init__(self, make: Callable[[Any], QuerySet], *, sentinel: Any, using: str = "default"):
        self._make, self._sentinel, self._using = make, sentinel, using
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def __call__(self, value: Any) -> list:
        connection = connections[self._using]
        key = (self._using, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = _Compiled(
                self._make(self._sentinel), self._using, self._sentinel
            )
        return compiled.run(self._using, value)


class PreparedPages:
    """The pages of a list, each read by a query compiled once per process: ``make(sentinel, offset, limit)`` is the
    queryset of one page. A page is read as a whole number of ``block`` rows (the last, shorter page too), so each
    page is one compiled query; the first ``pages`` pages are prepared, a page past them is read through the ORM.
    ``pages(value, offset, limit)``: the rows."""

    def __init__(
        self, make: Callable[[Any, int, int], QuerySet], *, sentinel: Any, block: int, pages: int = 20
    ):
        self._make, self._sentinel, self._block, self._pages = make, sentinel, block, pages
        self._reads: dict[tuple[int, int], Prepared] = {}

    def __call__(self, value: Any, offset: int, limit: int) -> list:
        if limit <= 0:  # an empty list's only page
            return []
        if offset // self._block >= self._pages:
            return list(self._make(value, offset, limit))
        size = -(-limit // self._block) * self._block
        read = self._reads.get((offset, size))
        if read is None:
            make = self._make
            read = self._reads[(offset, size)] = Prepared(
                lambda v: make(v, offset, size), sentinel=self._sentinel
            )
        return read(value)[:limit]
