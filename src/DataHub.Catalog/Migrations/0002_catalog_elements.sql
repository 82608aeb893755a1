-- 0002 catalog elements: code sets, data elements (数据元), grades, classification and grading of architecture
-- nodes, the dataset's publication date, and the n-gram search indexes. Runs in one transaction (see 0001).

-- Code sets (代码集) such as GB/T 2261.1 sex or GB/T 2260 administrative divisions.
CREATE TABLE datahub.code_set (
    code         text PRIMARY KEY,
    name         text NOT NULL,
    standard     text,
    description  text,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- The values of a code set in file order; parent_code links hierarchical sets (province → city → county).
CREATE TABLE datahub.code_value (
    code_set     text NOT NULL REFERENCES datahub.code_set (code) ON DELETE CASCADE,
    code         text NOT NULL,
    name         text NOT NULL,
    parent_code  text,
    ordinal      int NOT NULL CHECK (ordinal >= 1),
    PRIMARY KEY (code_set, code)
);

-- Grades known to the catalog: sensitivity levels 1–4 and the GB/T 43697 importance grades.
CREATE TABLE datahub.grade (
    kind         text NOT NULL CHECK (kind IN ('sensitivity', 'importance')),
    code         text NOT NULL,
    name         text NOT NULL,
    description  text,
    ordinal      int NOT NULL,
    PRIMARY KEY (kind, code)
);

-- The searchable n-grams of a text, lower-cased: for runs of Latin letters and digits every bigram and trigram
-- (the run itself when shorter), for other runs (Chinese) every unigram and bigram. PostgreSQL's text search
-- does not segment Chinese; these grams let a GIN index find any substring of two or more characters.
CREATE FUNCTION datahub.search_grams(body text) RETURNS text[]
-- The cost tells the planner that evaluating it row by row (a sequential scan) is dear; the GIN index is the way in.
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
DECLARE
    run   text;
    n     int;
    grams text[] := '{}';
BEGIN
    FOR run IN SELECT m[1] FROM regexp_matches(lower(body), '([a-z0-9]+|[^a-z0-9[:space:][:punct:]]+)', 'g') AS m LOOP
        n := char_length(run);
        IF run ~ '^[a-z0-9]' THEN
            IF n <= 2 THEN
                grams := grams || run;
            END IF;
            FOR i IN 1 .. n - 1 LOOP
                grams := grams || substr(run, i, 2);
            END LOOP;
            FOR i IN 1 .. n - 2 LOOP
                grams := grams || substr(run, i, 3);
            END LOOP;
        ELSE
            FOR i IN 1 .. n LOOP
                grams := grams || substr(run, i, 1);
            END LOOP;
            FOR i IN 1 .. n - 1 LOOP
                grams := grams || substr(run, i, 2);
            END LOOP;
        END IF;
    END LOOP;
    RETURN ARRAY(SELECT DISTINCT g FROM unnest(grams) AS g ORDER BY g);
END
$$;

-- The grams a text containing the query must hold: trigrams of Latin runs (the run itself when shorter;
-- nothing for a single letter), bigrams of Chinese runs (the character itself for a one-character run).
CREATE FUNCTION datahub.search_query_grams(query text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    run   text;
    n     int;
    grams text[] := '{}';
BEGIN
    FOR run IN SELECT m[1] FROM regexp_matches(lower(query), '([a-z0-9]+|[^a-z0-9[:space:][:punct:]]+)', 'g') AS m LOOP
        n := char_length(run);
        IF run ~ '^[a-z0-9]' THEN
            IF n = 2 THEN
                grams := grams || run;
            END IF;
            FOR i IN 1 .. n - 2 LOOP
                grams := grams || substr(run, i, 3);
            END LOOP;
        ELSIF n = 1 THEN
            grams := grams || run;
        ELSE
            FOR i IN 1 .. n - 1 LOOP
                grams := grams || substr(run, i, 2);
            END LOOP;
        END IF;
    END LOOP;
    RETURN ARRAY(SELECT DISTINCT g FROM unnest(grams) AS g ORDER BY g);
END
$$;

-- Data elements (数据元): the one form a meaning takes everywhere.
CREATE TABLE datahub.data_element (
    code         text PRIMARY KEY,
    name         text NOT NULL,
    data_type    text NOT NULL CHECK (data_type IN ('string', 'integer', 'decimal', 'date', 'datetime', 'time', 'boolean', 'binary')),
    length       int CHECK (length > 0),
    format       text,
    code_set     text REFERENCES datahub.code_set (code),
    unit         text,
    description  text,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Search indexes are expression indexes: the grams live only in the index, so the rows stay narrow and a search
-- that has to rank thousands of candidates reads few pages. Queries repeat the indexed expression exactly.
-- fastupdate is off: the catalog is written rarely and read often, and a pending list would be scanned by every search.
CREATE INDEX data_element_search_idx ON datahub.data_element
    USING gin (datahub.search_grams(code || ' ' || name || ' ' || coalesce(description, ''))) WITH (fastupdate = off);

-- Classification and grading of the architecture: every L5 attribute carries its effective sensitivity level
-- and importance grade; upper levels carry them only when declared (as defaults for their attributes).
ALTER TABLE datahub.subject_node
    ADD COLUMN element_code text REFERENCES datahub.data_element (code),
    ADD COLUMN sensitivity  smallint CHECK (sensitivity BETWEEN 1 AND 4),
    ADD COLUMN importance   text CHECK (importance IN ('core', 'important', 'general'));
CREATE INDEX subject_node_search_idx ON datahub.subject_node
    USING gin (datahub.search_grams(code || ' ' || name || ' ' || coalesce(description, ''))) WITH (fastupdate = off);
CREATE INDEX subject_node_element_idx ON datahub.subject_node (element_code);
-- Name and code-segment prefixes in byte order, covering what ranking needs: a search with thousands of candidates
-- takes its first ranks (exact, prefix) from index-only range scans instead of ranking every candidate.
CREATE INDEX subject_node_name_prefix_idx ON datahub.subject_node ((lower(name) COLLATE "C")) INCLUDE (id, level, code, name);
CREATE INDEX subject_node_key_prefix_idx ON datahub.subject_node ((lower(split_part(code, '.', -1)) COLLATE "C"))
    INCLUDE (id, level, code, name);
-- Names in ranking order (shorter first): the next rank (name contains) is found by walking it, index-only, until
-- the page is full.
CREATE INDEX subject_node_rank_order_idx ON datahub.subject_node (char_length(name), (code COLLATE "C")) INCLUDE (id, level, name);

ALTER TABLE datahub.dataset
    ADD COLUMN published_on date;
CREATE INDEX dataset_search_idx ON datahub.dataset
    USING gin (datahub.search_grams(name || ' ' || title || ' ' || coalesce(resource_code, '') || ' ' || coalesce(abstract, '')))
    WITH (fastupdate = off);

-- Coverage and "holds data" look columns up by their attribute.
CREATE INDEX dataset_column_l5_idx ON datahub.dataset_column (l5_node_id);

-- A search reads a few thousand rows at most; starting parallel workers for it costs more than it saves (measured:
-- 8–11 ms of a 12 ms search on two cores), so the searched tables are scanned by one process.
ALTER TABLE datahub.subject_node SET (parallel_workers = 0);
ALTER TABLE datahub.data_element SET (parallel_workers = 0);
ALTER TABLE datahub.dataset SET (parallel_workers = 0);
