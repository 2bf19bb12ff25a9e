"""Fixed SQL statements whose rows become model instances, for the busiest reads.

``Manager.raw()`` skips Django's SQL compiler, but on every call it still works out
which column feeds which field and which converters the database needs. For a statement
whose shape never changes, :class:`ModelQuery` works that out once per database
connection and column list, leaving the query itself and ``Model.from_db``, the method Django's
querysets build instances with. As with ``raw()``, columns are matched to fields by
name, fields that are not selected are deferred, and other columns become attributes.
"""

from weakref import WeakKeyDictionary

from django.db import connections


class ModelQuery:
    def __init__(self, model, sql):
        self.model = model
        self.sql = sql
        # Per connection (each thread has its own), as converters are bound to one.
        self._plans = WeakKeyDictionary()

    def __repr__(self):
        return f"ModelQuery({self.model.__name__}, {self.sql!r})"

    def all(self, params, using="default"):
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            columns = tuple(column[0] for column in cursor.description)
            rows = cursor.fetchall()
        plans = self._plans.setdefault(connection, {})
        plan = plans.get(columns)
        if plan is None:
            plan = plans[columns] = self._plan(connection, columns)
        field_names, positions, converters, extras = plan
        instances = []
        for row in rows:
            if converters:
                row = list(row)
                for index, functions, expression in converters:
                    value = row[index]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[index] = value
            instance = self.model.from_db(using, field_names, [row[i] for i in positions])
            for name, index in extras:
                setattr(instance, name, row[index])
            instances.append(instance)
        return instances

    def first(self, params, using="default"):
        instances = self.all(params, using)
        return instances[0] if instances else None

    def _plan(self, connection, columns):
        normalise = connection.introspection.identifier_converter
        index_of = {}
        for index, column in enumerate(columns):
            index_of.setdefault(normalise(column), index)
        field_names, positions, converters = [], [], []
        for field in self.model._meta.concrete_fields:
            index = index_of.pop(normalise(field.column), None)
            if index is None:
                continue
            field_names.append(field.attname)
            positions.append(index)
            expression = field.get_col(field.model._meta.db_table)
            functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(
                connection
            )
            if functions:
                converters.append((index, functions, expression))
        if self.model._meta.pk.attname not in field_names:
            raise ValueError(f"{self!r} must select the primary key")
        extras = [(columns[index], index) for index in index_of.values()]
        return field_names, positions, converters, extras
