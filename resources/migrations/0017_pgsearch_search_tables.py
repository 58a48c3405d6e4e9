# The PostgreSQL search engine's tables (resources/search/backends/postgres.py). They live in the
# site's own database so every web machine reads the same index. On SQLite this migration
# does nothing: the embedded engine keeps its index in files.

from django.db import migrations

CREATE = [
    # unaccent and pg_trgm are trusted extensions (PostgreSQL 13+): the database owner
    # may create them without being a superuser.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # English stemming with accents folded first: "café" and "cafe" are one word.
    "CREATE TEXT SEARCH CONFIGURATION kb_english (COPY = pg_catalog.english)",
    "ALTER TEXT SEARCH CONFIGURATION kb_english "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    # Unstemmed, unaccented words: autocomplete prefixes.
    "CREATE TEXT SEARCH CONFIGURATION kb_simple (COPY = pg_catalog.simple)",
    "ALTER TEXT SEARCH CONFIGURATION kb_simple "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
    """
    CREATE TABLE kb_search_document (
        id varchar(255) PRIMARY KEY,
        django_ct varchar(100) NOT NULL,
        django_id varchar(100) NOT NULL,
        stored jsonb NOT NULL,
        body text NOT NULL,
        document tsvector NOT NULL,
        prefixes tsvector NOT NULL,
        facet_values text[] NOT NULL,
        rank integer NOT NULL DEFAULT 0
    )
    """,
    # Searches scan a GIN index's pending list of recent writes: the backend keeps it small
    # for edits and merges it at the end of a rebuild (measured: 18 ms instead of 2 for one
    # lookup with the pending list a rebuild of 1,000 resources had left).
    "CREATE INDEX kb_search_document_document ON kb_search_document USING gin (document)",
    "CREATE INDEX kb_search_document_prefixes ON kb_search_document USING gin (prefixes)",
    "CREATE INDEX kb_search_document_facets ON kb_search_document USING gin (facet_values)",
    "CREATE INDEX kb_search_document_ct ON kb_search_document (django_ct)",
    # Words "Did you mean" may offer, matched by trigram similarity.
    "CREATE TABLE kb_search_word (word text PRIMARY KEY)",
    "CREATE INDEX kb_search_word_trgm ON kb_search_word USING gin (word gin_trgm_ops)",
    # Bumped by every index write: a cache key for figures derived from the index.
    "CREATE TABLE kb_search_state (generation bigint NOT NULL)",
    "INSERT INTO kb_search_state VALUES (1)",
]
DROP = [
    "DROP TABLE IF EXISTS kb_search_state",
    "DROP TABLE IF EXISTS kb_search_word",
    "DROP TABLE IF EXISTS kb_search_document",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS kb_simple",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS kb_english",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("resources", "0016_search_pins_insights")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
