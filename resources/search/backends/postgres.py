"""The search engine for several machines: PostgreSQL full-text search behind Haystack.

The index is tables in the site's own database (migration 0017_pgsearch_search_tables),
so every web machine reads the same index and an edit is searchable everywhere as soon
as its queued update is applied. What Whoosh does in Python happens here in one SQL
statement per search:

- every indexed text field the SearchIndex declares goes into one weighted ``tsvector``
  (boost 3 and up: weight A, 2: B, above 1: C, the document text: D), stemmed in English
  with accents folded (``kb_english``: unaccent, then the English stemmer); a query on one
  of those fields (``title=…``, ``questions=…``) matches the whole document, which the
  search layer only ever ORs with the same words in the text, so its weight is what counts;
- the page of results, the hit count, the facet counts and the highlighted snippets come
  back from one statement, ranked by ``ts_rank`` nudged by the index's rank column;
- facet values are exact strings in a GIN-indexed array, so filters never stem or split;
- "did you mean" looks up unknown words by trigram similarity (``pg_trgm``);
- related pages are found from the page's own weightiest words;
- writers take a transaction-scoped advisory lock, so the index and the queue row it
  answers commit together and one writer at a time works, on every machine at once.

Django's ``django.contrib.postgres.search`` expressions build one-table queries well; a
page, its count, facets and headlines in one round trip is a CTE they cannot express, so
the SQL is written here, behind Haystack's seam (BaseSearchBackend/BaseSearchQuery).
"""

import html
import json
import re
from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections as databases
from django.db import transaction
from django.utils.encoding import force_str
from haystack.backends import BaseEngine, BaseSearchBackend, BaseSearchQuery, log_query
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.inputs import AutoQuery, BaseInput, Exact
from haystack.models import SearchResult
from haystack.utils import get_identifier
from haystack.utils.app_loading import haystack_get_model

CONFIG = "kb_english"
PREFIX_CONFIG = "kb_simple"
RANK_FIELD = "rank"
SPELLING_FIELD = "spelling"
# Snippets come from a stored "snippet" field when the index declares one (readable text
# without author or DOI lines), else from the document text.
SNIPPET_FIELD = "snippet"
SNIPPET_SOURCE = f"coalesce(nullif(d.stored->>'{SNIPPET_FIELD}', ''), d.body)"
RANK_WEIGHT = 0.03  # as in the Whoosh backend: a rank of 10 adds 30%, enough to break ties
WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A
BATCH = 500
LOCK_KEY = 0x6B62_5345  # "kbSE": one advisory lock for every index writer
# Marks around matched words inside ts_headline's output; the text is escaped around them.
START, STOP = "\x02", "\x03"
HEADLINE = (
    f"StartSel={START}, StopSel={STOP}, MaxFragments=2, MaxWords=30, MinWords=12, "
    'ShortWord=2, FragmentDelimiter=" … "'
)
TITLE_HEADLINE = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
GIN_INDEXES = ("document", "prefixes", "facets")
CLEAN_PENDING = "SELECT " + ", ".join(
    [f"gin_clean_pending_list('kb_search_document_{name}')" for name in GIN_INDEXES]
    + ["gin_clean_pending_list('kb_search_word_trgm')"]
)
OPERATORS = {"AND", "OR", "NOT"}
SCORE = f"ts_rank('{WEIGHTS}', d.document, QUERY) * (1 + {RANK_WEIGHT} * d.rank)"
FACETS_SQL = (
    "(SELECT coalesce(json_agg(json_build_array(v, n)), '[]') FROM "
    "(SELECT v, count(*) n FROM matched, unnest(matched.facet_values) v GROUP BY v) f)"
)
SEARCH_SQL = """
    WITH matched AS MATERIALIZED (
        SELECT d.id, d.facet_values, {score} AS score, {key} AS sort_key
        FROM kb_search_document d WHERE {where}
    ), page AS (
        SELECT id, score, sort_key FROM matched ORDER BY {page_order}, id LIMIT %s OFFSET %s
    )
    SELECT (SELECT count(*) FROM matched), {facets},
        (SELECT coalesce(json_agg(json_build_array(d.id, p.score, d.stored, {headline})
                                  ORDER BY {result_order}, p.id), '[]')
         FROM page p JOIN kb_search_document d ON d.id = p.id)
"""
EMPTY = {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}


def weight_of(field):
    if field.document:
        return "D"
    boost = field.boost or 1
    return "A" if boost >= 3 else "B" if boost >= 2 else "C" if boost > 1 else "D"


def marked(text):
    """ts_headline output as safe HTML: everything escaped, then the marks made <mark>."""
    escaped = html.escape(text or "", quote=False)
    return escaped.replace(START, "<mark>").replace(STOP, "</mark>")


class Compiled:
    """A query turned into SQL: a WHERE clause, its parameters and the ranking tsquery."""

    def __init__(self, where="TRUE", params=(), text_queries=()):
        self.where = where
        self.params = list(params)
        self.text_queries = list(text_queries)  # (sql, params) pairs of tsquery expressions

    def __str__(self):
        return self.where

    def rank_query(self):
        """All the reader's words as one tsquery: what ranking and highlighting look for."""
        if not self.text_queries:
            return None, []
        sql = " || ".join(f"({q})" for q, _ in self.text_queries)
        return sql, [p for _, ps in self.text_queries for p in ps]


class PostgresSearchBackend(BaseSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.database = connection_options.get("DATABASE", "default")
        self._fields = None

    # Setup ------------------------------------------------------------------------------

    def cursor(self):
        connection = databases[self.database]
        if connection.vendor != "postgresql":
            raise ImproperlyConfigured(
                "The PostgreSQL search engine needs DATABASE_URL to point at PostgreSQL."
            )
        return connection.cursor()

    def fields(self):
        """index_fieldname -> field, over every registered SearchIndex."""
        if self._fields is None:
            from haystack import connections

            unified = connections[self.connection_alias].get_unified_index()
            self._fields = unified.all_searchfields()
            self.content_field_name = unified.document_field
        return self._fields

    def facet_name(self, name):
        """The stored facet for a field name: 'kind' and 'kind_exact' are both 'kind_exact'."""
        fields = self.fields()
        field = fields.get(name)
        if field is not None and getattr(field, "facet_for", None):
            return name
        for other_name, other in fields.items():
            if getattr(other, "facet_for", None) == name:
                return other_name
        return None

    def text_field(self, name):
        field = self.fields().get(name)
        return field is not None and field.indexed and field.field_type == "string"

    def prefix_field(self, name):
        field = self.fields().get(name)
        return field is not None and field.field_type in ("ngram", "edge_ngram")

    # Writing ------------------------------------------------------------------------------

    @contextmanager
    def write_lock(self):
        """One writer at a time on every machine; index rows and dequeue commit together."""
        with transaction.atomic(using=self.database), self.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            yield

    def row_for(self, index, obj):
        """One document as a row: stored values, weighted texts, prefixes, facet values."""
        doc = index.full_prepare(obj)
        row = {"A": [], "B": [], "C": [], "D": [], "prefixes": [], "facet_values": []}
        stored = {}
        for field in index.fields.values():
            key, value = field.index_fieldname, doc.get(field.index_fieldname)
            if field.stored and not field.document:
                stored[key] = value
            if field.indexed and value not in (None, "", []):
                place = self.place_of(field)
                values = value if isinstance(value, list | tuple) else [value]
                if place == "facet_values":
                    values = [f"{key}={force_str(v)}" for v in values]
                if place:
                    row[place] += [force_str(v) for v in values]
        body = force_str(doc.get(index.get_content_field()) or "")
        return {
            "id": doc[ID],
            "django_ct": doc[DJANGO_CT],
            "django_id": force_str(doc[DJANGO_ID]),
            "stored": stored,
            "body": body.replace(START, " ").replace(STOP, " "),
            **{w.lower(): "\n".join(row.pop(w)) for w in "ABCD"},
            "prefixes": " ".join(row["prefixes"]),
            "facet_values": row["facet_values"],
            "rank": int(doc.get(RANK_FIELD) or 0),
            "words": force_str(doc.get(SPELLING_FIELD) or ""),
        }

    def place_of(self, field):
        """Where an indexed field's values go: a weight class, prefixes, facets or nowhere."""
        if getattr(field, "facet_for", None):
            return "facet_values"
        if field.field_type in ("ngram", "edge_ngram"):
            return "prefixes"
        plain_text = field.field_type == "string" and not (field.faceted or field.is_multivalued)
        if plain_text and field.index_fieldname != SPELLING_FIELD:
            return weight_of(field)
        return None

    def update(self, index, iterable, commit=True):
        objects = list(iterable)
        bulk = len(objects) >= BATCH
        with transaction.atomic(using=self.database), self.cursor() as cursor:
            # GIN indexes collect new entries in a pending list that every search scans.
            # Edits keep it small; a rebuild fills it freely and merges it once at the end.
            cursor.execute(
                "SELECT set_config('gin_pending_list_limit', %s, true)", ["1GB" if bulk else "64kB"]
            )
            for start in range(0, len(objects), BATCH):
                rows = [self.row_for(index, obj) for obj in objects[start : start + BATCH]]
                self._write(cursor, rows)
            self.bump(cursor)
            if bulk:  # merge the pending lists, and fresh statistics for the planner
                cursor.execute(CLEAN_PENDING)
                cursor.execute("ANALYZE kb_search_document")

    def _write(self, cursor, rows):
        payload = json.dumps(rows, cls=DjangoJSONEncoder)
        vector = " || ".join(
            f"setweight(to_tsvector('{CONFIG}', r.{w.lower()}), '{w}')" for w in "ABCD"
        )
        cursor.execute(
            f"""
            INSERT INTO kb_search_document AS d
                (id, django_ct, django_id, stored, body, document, prefixes, facet_values, rank)
            SELECT r.id, r.django_ct, r.django_id, r.stored, r.body, {vector},
                   to_tsvector('{PREFIX_CONFIG}', r.prefixes), r.facet_values, r.rank
            FROM jsonb_to_recordset(%s::jsonb) AS r(
                id text, django_ct text, django_id text, stored jsonb, body text,
                a text, b text, c text, d text, prefixes text, facet_values text[], rank int)
            ON CONFLICT (id) DO UPDATE SET
                stored = excluded.stored, body = excluded.body, document = excluded.document,
                prefixes = excluded.prefixes, facet_values = excluded.facet_values,
                rank = excluded.rank
            """,
            [payload],
        )
        words = sorted({w for row in rows for w in re.findall(r"[^\W\d_]{3,}", row["words"])})
        cursor.execute(
            "INSERT INTO kb_search_word (word) SELECT DISTINCT lower(w) FROM unnest(%s::text[]) w "
            "ON CONFLICT DO NOTHING",
            [words],
        )

    def bump(self, cursor):
        cursor.execute("UPDATE kb_search_state SET generation = generation + 1")

    def generation(self):
        """Changes whenever the index is written: a cache key for derived data."""
        with self.cursor() as cursor:
            cursor.execute("SELECT generation FROM kb_search_state")
            return cursor.fetchone()[0]

    def remove(self, obj_or_string, commit=True):
        self.remove_many([get_identifier(obj_or_string)])

    def remove_many(self, identifiers):
        with transaction.atomic(using=self.database), self.cursor() as cursor:
            cursor.execute("DELETE FROM kb_search_document WHERE id = ANY(%s)", [identifiers])
            self.bump(cursor)

    def clear(self, models=None, commit=True):
        with transaction.atomic(using=self.database), self.cursor() as cursor:
            if models:
                labels = [f"{m._meta.app_label}.{m._meta.model_name}" for m in models]
                cursor.execute("DELETE FROM kb_search_document WHERE django_ct = ANY(%s)", [labels])
            else:
                # TRUNCATE, not DELETE: a rebuild leaves no dead rows for searches to skip.
                cursor.execute("TRUNCATE kb_search_document, kb_search_word")
            self.bump(cursor)

    def document_count(self):
        with self.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM kb_search_document")
            return cursor.fetchone()[0]

    def stored_documents(self):
        """Every document in the index as {identifier: stored fields}, for verification."""
        with self.cursor() as cursor:
            cursor.execute("SELECT id, stored FROM kb_search_document")
            return {key: _json(stored) for key, stored in cursor.fetchall()}

    # Reading ------------------------------------------------------------------------------

    @log_query
    def search(self, query_string, **kwargs):
        compiled = query_string if isinstance(query_string, Compiled) else None
        if compiled is None:  # a raw string: the reader's words against the document
            text = force_str(query_string).strip()
            if not text or text == "*":
                compiled = Compiled()
            else:
                compiled = Compiled(*PostgresSearchQuery.text_match(text, "websearch"))
        return self.run_search(compiled, **kwargs)

    def run_search(
        self,
        compiled,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        highlight=False,
        facets=None,
        spelling_query=None,
        models=None,
        result_class=None,
        **kwargs,
    ):
        self.fields()
        limit = (end_offset if end_offset is not None else start_offset + 20) - start_offset
        if limit <= 0:
            return dict(EMPTY)
        facet_names = [n for n in (self.facet_name(name) for name in facets or ()) if n]
        sql, params = self.select(compiled, models, sort_by, highlight, facet_names)
        with self.cursor() as cursor:
            cursor.execute(sql, [*params[0], limit, start_offset, *params[1]])
            hits, facet_rows, page = cursor.fetchone()
        page = _json(page)
        suggestion = None
        # Every word is required, so a query that matched has no unknown word to correct
        # (a synonym's rewrite aside): the look-up is spent only on pages with no results.
        if self.include_spelling and spelling_query and not page:
            suggestion = self.suggest(spelling_query)
        return {
            "results": [self.result(row, highlight, result_class) for row in page],
            "hits": hits if page else 0,  # a page past the end, as the Whoosh backend answers
            "facets": self.facet_counts(_json(facet_rows), facet_names),
            "spelling_suggestion": suggestion,
        }

    def select(self, compiled, models, sort_by, highlight, facet_names):
        """The one statement: matches, then their count, facet counts and one page."""
        where, where_params = self.where(compiled, models)
        rank_sql, rank_params = compiled.rank_query()
        key, page_order, result_order = self.order_by(sort_by)
        headline, headline_params = "NULL, NULL", []
        if highlight and rank_sql:
            headline = (
                f"ts_headline('{CONFIG}', d.stored->>'title', {rank_sql}, %s), "
                f"ts_headline('{CONFIG}', {SNIPPET_SOURCE}, {rank_sql}, %s)"
            )
            headline_params = [*rank_params, TITLE_HEADLINE, *rank_params, HEADLINE]
        sql = SEARCH_SQL.format(
            score=SCORE.replace("QUERY", rank_sql) if rank_sql else "d.rank::float4",
            key=key,
            where=where,
            page_order=page_order,
            facets=FACETS_SQL if facet_names else "'[]'::json",
            headline=headline,
            result_order=result_order,
        )
        return sql, ([*(rank_params if rank_sql else []), *where_params], headline_params)

    def where(self, compiled, models):
        where, params = compiled.where, list(compiled.params)
        if models:
            labels = [f"{m._meta.app_label}.{m._meta.model_name}" for m in models]
            where = f"({where}) AND d.django_ct = ANY(%s)"
            params.append(labels)
        return where, params

    def order_by(self, sort_by):
        """(sort key expression, page order, result order) for Haystack's order_by()."""
        if not sort_by:
            return "NULL::text", "score DESC", "p.score DESC"
        field = sort_by[0].lstrip("-")
        direction = "DESC" if sort_by[0].startswith("-") else "ASC"
        safe = re.sub(r"\W", "", field)
        key = "d.rank" if field == RANK_FIELD else f"d.stored->>'{safe}'"
        return key, f"sort_key {direction}", f"p.sort_key {direction}"

    def facet_counts(self, rows, names):
        fields = {name: [] for name in names}
        for value, count in rows:
            name, _, facet_value = value.partition("=")
            if name in fields:
                fields[name].append((facet_value, count))
        for name in fields:
            fields[name].sort(key=lambda item: (-item[1], item[0]))
        return {"fields": fields, "dates": {}, "queries": {}} if names else {}

    def result(self, row, highlight, result_class):
        identifier, score, stored, title, text = row
        app_label, model_name, pk = identifier.split(".", 2)
        stored = self.converted(app_label, model_name, _json(stored))
        if highlight and title is not None:
            stored.pop(SNIPPET_FIELD, None)
            stored["highlighted"] = {"title": marked(title), self.content_field_name: marked(text)}
        return (result_class or SearchResult)(app_label, model_name, pk, score or 0, **stored)

    def converted(self, app_label, model_name, stored):
        from haystack import connections

        model = haystack_get_model(app_label, model_name)
        try:
            index = connections[self.connection_alias].get_unified_index().get_index(model)
        except Exception:  # NotHandled: the model has no index any more
            return stored
        for name, value in list(stored.items()):
            field = index.fields.get(name)
            if field is not None and not field.is_multivalued and value is not None:
                stored[name] = field.convert(value)
        return stored

    # Spelling -----------------------------------------------------------------------------

    def suggest(self, text):
        """A corrected query, or None: only words the index does not know are corrected."""
        words = [w for w in re.findall(r"[^\W_]+", force_str(text)) if w.upper() not in OPERATORS]
        if not words:
            return None
        # One statement, each word a constant: the GIN index answers every EXISTS.
        check = (
            f"numnode(plainto_tsquery('{CONFIG}', %s)) = 0 OR EXISTS (SELECT 1 FROM "
            f"kb_search_document WHERE document @@ plainto_tsquery('{CONFIG}', %s))"
        )
        sql = " UNION ALL ".join(f"SELECT {i}, {check}" for i in range(len(words)))
        with transaction.atomic(using=self.database), self.cursor() as cursor:
            # Left to itself the planner answers EXISTS by reading documents until one
            # matches: every document for an unknown word (160 ms at 10,000). The index
            # answers at once either way.
            cursor.execute("SET LOCAL enable_seqscan = off")
            try:
                cursor.execute(f"{sql} ORDER BY 1", [w for w in words for _ in "ww"])
                checked = zip(words, [row[1] for row in cursor.fetchall()], strict=True)
            finally:
                cursor.execute("RESET enable_seqscan")  # SET LOCAL outlives a savepoint
            corrected, changed = [], False
            for word, known in checked:
                better = None if known or len(word) < 4 else self.closest(cursor, word.lower())
                corrected.append(better or word)
                changed = changed or bool(better and better != word.lower())
        return " ".join(corrected) if changed else None

    def closest(self, cursor, word):
        cursor.execute(
            f"""
            SELECT word FROM kb_search_word
            WHERE word %% %s AND word <> %s AND EXISTS (
                SELECT 1 FROM kb_search_document
                WHERE document @@ plainto_tsquery('{CONFIG}', word))
            ORDER BY similarity(word, %s) DESC, word LIMIT 1
            """,
            [word, word, word],
        )
        row = cursor.fetchone()
        return row[0] if row else None

    # More like this -----------------------------------------------------------------------

    def more_like_this(
        self,
        model_instance,
        additional_query_string=None,
        start_offset=0,
        end_offset=None,
        models=None,
        result_class=None,
        **kwargs,
    ):
        """Pages sharing this page's weightiest words: title, aliases and summary first."""
        self.fields()
        limit = (end_offset or 10) - start_offset
        params = [get_identifier(model_instance)]
        narrow = ""
        if models:
            narrow = "AND d.django_ct = ANY(%s)"
            params.append([f"{m._meta.app_label}.{m._meta.model_name}" for m in models])
        sql = f"""
            WITH me AS (SELECT id, document FROM kb_search_document WHERE id = %s),
            terms AS (
                SELECT u.lexeme FROM me, unnest(me.document) u
                WHERE length(u.lexeme) > 2
                ORDER BY (SELECT count(*) FROM unnest(u.weights) w WHERE w <> 'D') DESC,
                         array_length(u.positions, 1) DESC, u.lexeme
                LIMIT 12
            ), q AS (
                SELECT to_tsquery('{CONFIG}', string_agg(quote_literal(lexeme), ' | ')) AS q
                FROM terms
            )
            SELECT count(*) OVER (), d.id, ts_rank('{WEIGHTS}', d.document, q.q) AS score,
                   d.stored
            FROM kb_search_document d, q, me
            WHERE d.document @@ q.q AND d.id <> me.id {narrow}
            ORDER BY score DESC, d.id LIMIT %s OFFSET %s
        """
        with self.cursor() as cursor:
            cursor.execute(sql, [*params, limit, start_offset])
            rows = cursor.fetchall()
        results = [self.result((i, s, st, None, None), False, result_class) for _, i, s, st in rows]
        return {"results": results, "hits": rows[0][0] if rows else 0}


def _json(value):
    return json.loads(value) if isinstance(value, str | bytes) else value


class PostgresSearchQuery(BaseSearchQuery):
    """Turns Haystack's SQ tree into SQL for the backend, instead of a query string."""

    def build_query(self):
        where, params, texts = self.compile(self.query_filter)
        return Compiled(where or "TRUE", params, texts)

    def matching_all_fragment(self):
        return "TRUE"

    def compile(self, node):
        parts, params, texts = [], [], []
        for child in node.children:
            if hasattr(child, "children"):
                sql, child_params, child_texts = self.compile(child)
            else:
                expression, value = child
                field, filter_type = node.split_expression(expression)
                sql, child_params, child_texts = self.leaf(field, filter_type, value)
            if sql:
                parts.append(sql)
                params += child_params
                texts += child_texts
        if not parts:
            return "", [], []
        sql = f" {node.connector} ".join(parts)
        sql = f"NOT ({sql})" if node.negated else f"({sql})"
        return sql, params, [] if node.negated else texts

    def leaf(self, field, filter_type, value):
        backend = self.backend
        backend.fields()
        if field in (ID, DJANGO_CT, DJANGO_ID):
            values = _values(value, filter_type)
            return f"d.{field} = ANY(%s)", [[force_str(v) for v in values]], []
        facet = backend.facet_name(field)
        if facet:
            values = [f"{facet}={force_str(v)}" for v in _values(value, filter_type)]
            return "d.facet_values && %s::text[]", [values], []
        if backend.prefix_field(field):
            words = re.findall(r"[^\W_]+", _text(value))
            if not words:
                return "FALSE", [], []
            query = " & ".join(f"{w}:*" for w in words)
            return f"d.prefixes @@ to_tsquery('{PREFIX_CONFIG}', %s)", [query], []
        if field in ("content", backend.content_field_name) or backend.text_field(field):
            mode = "phrase" if isinstance(value, Exact) or filter_type == "exact" else "websearch"
            where, params, texts = self.text_match(_text(value), mode)
            return where, params, texts
        # Anything else is compared with its stored value.
        values = [force_str(v) for v in _values(value, filter_type)]
        return "d.stored->>%s = ANY(%s)", [field, values], []

    @staticmethod
    def text_match(text, mode):
        """Every weighted field is one tsvector: a field's words match the whole document."""
        function = "phraseto_tsquery" if mode == "phrase" else "websearch_to_tsquery"
        tsquery = f"{function}('{CONFIG}', %s)"
        return f"d.document @@ {tsquery}", [text], [(tsquery, [text])]


def _text(value):
    if isinstance(value, AutoQuery | BaseInput):
        return force_str(value.query_string)
    return force_str(value)


def _values(value, filter_type):
    if isinstance(value, BaseInput):
        value = value.query_string
    if filter_type == "in" and isinstance(value, list | tuple | set):
        return list(value)
    return [value]


class PostgresSearchEngine(BaseEngine):
    backend = PostgresSearchBackend
    query = PostgresSearchQuery
