-- The schema on PostgreSQL 15: what the SQLite migrations in
-- src/store/schema.rs end at (schema version 9, `POSTGRES_SCHEMA_VERSION`),
-- written as one script. Tables come in the order SQLite made them; columns
-- in SQLite's order, so a column a later migration added comes last, marked
-- with that migration's number.
--
-- Types: INTEGER is BIGINT (0/1 flags too, with the same CHECK, so the
-- shared SQL reads and writes 0 and 1 on both engines), TEXT is TEXT (dates
-- and times are ISO text on both), REAL is DOUBLE PRECISION, BLOB would be
-- BYTEA (the schema has none).
--
-- Where the engines differ, a comment says so. In short:
--   * COLLATE NOCASE has no twin: those indexes are on lower(column), and
--     are used only by SQL that compares lower(column). SQLite's NOCASE
--     folds ASCII letters only; lower() follows the server's locale and may
--     fold others too ("MÜLLER" and "müller" are then the same name).
--   * client_search is each engine's own: SQLite's an FTS5 table, this one
--     a plain table with a pg_trgm index (see below).
--   * SQLite's RAISE(ABORT, message) becomes a PL/pgSQL trigger function
--     raising the same message. The refusal undoes the statement on SQLite
--     but aborts the whole transaction on PostgreSQL.
--   * TRUNCATE skips row triggers, so the tables that refuse deletes also
--     refuse TRUNCATE (SQLite has no TRUNCATE).
--   * No table has a rowid.

-- pg_trgm is a trusted extension: the database's owner may create it
-- without being a superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- unaccent too (trusted since PostgreSQL 13): search folds diacritics as
-- SQLite's FTS5 tokenizer does.
CREATE EXTENSION IF NOT EXISTS unaccent;

-- Text as client search compares it: lower case, without diacritics
-- ("Müller" -> "muller"). unaccent() alone is only STABLE (its dictionary
-- could be swapped); naming the dictionary makes this IMMUTABLE, so indexes
-- may use it.
CREATE FUNCTION search_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, $1));

-- Refuses the change a trigger fires on, with the message given as the
-- trigger's one argument: the twin of SQLite's
-- `SELECT RAISE(ABORT, 'message')` in a BEFORE trigger.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0];
END;
$$;

-- 1: practitioners, clients with search, and the audit chain.

CREATE TABLE practitioner (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    credentials TEXT NOT NULL DEFAULT '',
    archived    BIGINT NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at  TEXT NOT NULL,
    -- 7
    prescriber  BIGINT NOT NULL DEFAULT 0 CHECK (prescriber IN (0, 1))
);

CREATE TABLE client (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL CHECK (length(trim(name)) > 0),
    date_of_birth TEXT,
    phone         TEXT,
    email         TEXT,
    fitzpatrick   BIGINT CHECK (fitzpatrick BETWEEN 1 AND 6),
    notes         TEXT NOT NULL DEFAULT '',
    archived      BIGINT NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    -- 2
    glogau        BIGINT CHECK (glogau BETWEEN 1 AND 4),
    indications   TEXT NOT NULL DEFAULT '[]',
    alerts        TEXT NOT NULL DEFAULT ''
);

-- SQLite: ON client (name COLLATE NOCASE).
CREATE INDEX client_by_name ON client (lower(name));
CREATE INDEX client_by_birth ON client (date_of_birth);

-- Search differs per engine here, under one name. SQLite's client_search is
-- an FTS5 table with the trigram tokenizer, filled by triggers on client.
-- PostgreSQL's is a plain table, filled by a trigger on client too: one
-- narrow row per client holding only what a search filters and sorts on,
-- computed once when the client is written rather than for every row a
-- search looks at. A common fragment matches thousands of clients, and
-- each match is read and sorted before the first 500 go out; reading them
-- from rows a fifth of client's width, then fetching only those 500 whole,
-- halves a search (bench/RESULTS.md §7).
--   words:     the name and email folded by search_fold (lower case, no
--              diacritics, as SQLite's tokenizer folds: "mull" finds
--              "Müller") and the phone's digits (stripped of the characters
--              SQLite's triggers strip, as client.rs's short-term scan),
--              one per line. A search term never holds a line break, so it
--              matches here exactly when it matches one of the three, as an
--              FTS5 phrase matches within a column.
--   name_fold: the folded name, for "a word of the name starts with".
--   name_key:  lower(name), the list's alphabetical order.
-- It is the server's own: the copies between engines leave it out
-- (db/migrate.rs), as they leave out SQLite's.
CREATE TABLE client_search (
    client_id     TEXT PRIMARY KEY REFERENCES client (id) ON DELETE CASCADE,
    archived      BIGINT NOT NULL,
    date_of_birth TEXT,
    name_key      TEXT NOT NULL,
    name_fold     TEXT NOT NULL,
    words         TEXT NOT NULL
);

CREATE FUNCTION client_search_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO client_search
        (client_id, archived, date_of_birth, name_key, name_fold, words)
    VALUES (
        NEW.id, NEW.archived, NEW.date_of_birth, lower(NEW.name),
        search_fold(NEW.name),
        concat_ws(E'\n', search_fold(NEW.name), search_fold(NEW.email),
            replace(replace(replace(replace(replace(replace(coalesce(NEW.phone, ''),
                ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', '')))
    ON CONFLICT (client_id) DO UPDATE SET
        archived = EXCLUDED.archived,
        date_of_birth = EXCLUDED.date_of_birth,
        name_key = EXCLUDED.name_key,
        name_fold = EXCLUDED.name_fold,
        words = EXCLUDED.words;
    RETURN NULL;
END;
$$;

CREATE TRIGGER client_search_fill
    AFTER INSERT OR UPDATE OF name, phone, email, archived, date_of_birth ON client
    FOR EACH ROW EXECUTE FUNCTION client_search_fill();

-- The trigram index the search's LIKE uses. fastupdate off: a new client's
-- trigrams go straight into the index rather than into a pending list that
-- every search would read through until the next vacuum (a clinic adds a
-- few clients a day; a move into clinic mode adds them all at once).
CREATE INDEX client_search_words ON client_search USING gin (words gin_trgm_ops)
    WITH (fastupdate = off);

-- Append-only, hash-chained record of every change.
--
-- seq: on SQLite an INTEGER PRIMARY KEY is the rowid, which SQLite would
-- number itself for a row given none. The core never leaves it to SQLite:
-- it writes seq as the previous event's plus one, the next link of the
-- chain (audit.rs). So a plain BIGINT key, and the same INSERT on both
-- engines; an identity column would add a sequence that no insert uses.
CREATE TABLE audit_event (
    seq         BIGINT PRIMARY KEY,
    at          TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    -- 7
    actor_id    TEXT,
    actor_name  TEXT,
    -- 8
    before_hash TEXT,
    after_hash  TEXT
);

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION refuse_change('audit events cannot be changed');
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION refuse_change('audit events cannot be deleted');
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('audit events cannot be deleted');

-- 2: the treatment record: clinic settings, catalogue, screening,
-- consents, plans, sessions with zones and products, amendments.

-- Clinic settings as one JSON document per key (defaults live in code).
CREATE TABLE clinic_setting (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE device (
    id                 TEXT PRIMARY KEY,
    model              TEXT NOT NULL CHECK (length(trim(model)) > 0),
    serial             TEXT NOT NULL DEFAULT '',
    min_depth_um       BIGINT NOT NULL,
    max_depth_um       BIGINT NOT NULL,
    step_um            BIGINT NOT NULL,
    evaluated_up_to_um BIGINT,
    archived           BIGINT NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at         TEXT NOT NULL,
    CHECK (min_depth_um >= 0 AND max_depth_um > min_depth_um AND step_um > 0)
);

CREATE TABLE product (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind         TEXT NOT NULL CHECK (kind IN ('cartridge', 'serum', 'anaesthetic', 'aftercare', 'other')),
    manufacturer TEXT NOT NULL DEFAULT '',
    needle_count BIGINT,
    archived     BIGINT NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at   TEXT NOT NULL
);
-- SQLite: ON product (name COLLATE NOCASE, kind).
CREATE UNIQUE INDEX product_by_name ON product (lower(name), kind);

CREATE TABLE lot (
    id         TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES product (id),
    lot_number TEXT NOT NULL CHECK (length(trim(lot_number)) > 0),
    expires_on TEXT,
    created_at TEXT NOT NULL
);
-- SQLite: ON lot (product_id, lot_number COLLATE NOCASE).
CREATE UNIQUE INDEX lot_by_number ON lot (product_id, lower(lot_number));
-- SQLite: ON lot (lot_number COLLATE NOCASE).
CREATE INDEX lot_by_number_only ON lot (lower(lot_number));

CREATE TABLE screening (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES client (id),
    taken_on     TEXT NOT NULL,
    question_set BIGINT NOT NULL,
    answers      TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX screening_by_client ON screening (client_id, taken_on);

CREATE TABLE consent (
    id               TEXT PRIMARY KEY,
    client_id        TEXT NOT NULL REFERENCES client (id),
    kind             TEXT NOT NULL CHECK (kind IN ('treatment', 'clinical_photos', 'marketing_photos')),
    template_version TEXT NOT NULL,
    given_on         TEXT NOT NULL,
    signature        TEXT NOT NULL,
    revoked_on       TEXT,
    revoke_reason    TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX consent_by_client ON consent (client_id, kind);

CREATE TABLE treatment_plan (
    id               TEXT PRIMARY KEY,
    client_id        TEXT NOT NULL REFERENCES client (id),
    created_on       TEXT NOT NULL,
    goals            TEXT NOT NULL,
    concerns         TEXT NOT NULL,
    skin_assessment  TEXT NOT NULL,
    zones            TEXT NOT NULL,
    sessions_planned BIGINT NOT NULL CHECK (sessions_planned BETWEEN 1 AND 20),
    interval_days    BIGINT NOT NULL CHECK (interval_days BETWEEN 1 AND 365),
    closed           BIGINT NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    created_at       TEXT NOT NULL
);
CREATE INDEX plan_by_client ON treatment_plan (client_id, created_on);

-- signed_by_account and cosigned_by_account refer to account, which comes
-- later: their foreign keys are added after it.
CREATE TABLE treatment_session (
    id                  TEXT PRIMARY KEY,
    client_id           TEXT NOT NULL REFERENCES client (id),
    practitioner_id     TEXT NOT NULL REFERENCES practitioner (id),
    plan_id             TEXT REFERENCES treatment_plan (id),
    started_at          TEXT NOT NULL,
    local_date          TEXT NOT NULL,
    device_id           TEXT REFERENCES device (id),
    cartridge_lot_id    TEXT REFERENCES lot (id),
    anaesthetic         TEXT,
    anaesthetic_lot_id  TEXT REFERENCES lot (id),
    anaesthetic_applied TEXT,
    anaesthetic_removed TEXT,
    endpoint            TEXT,
    pain                BIGINT CHECK (pain BETWEEN 0 AND 10),
    immediate_reaction  TEXT NOT NULL DEFAULT '',
    adverse_events      TEXT NOT NULL DEFAULT '',
    aftercare           TEXT NOT NULL DEFAULT '',
    notes               TEXT NOT NULL DEFAULT '',
    signed_at           TEXT,
    signed_by           TEXT REFERENCES practitioner (id),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    -- 7
    signed_by_account   TEXT,
    signed_hash         TEXT,
    cosign_required     BIGINT NOT NULL DEFAULT 0 CHECK (cosign_required IN (0, 1)),
    cosigned_at         TEXT,
    cosigned_by_account TEXT,
    cosigned_hash       TEXT
);
CREATE INDEX session_by_client ON treatment_session (client_id, started_at);
CREATE INDEX session_by_cartridge ON treatment_session (cartridge_lot_id);
CREATE INDEX session_by_anaesthetic ON treatment_session (anaesthetic_lot_id);

CREATE TABLE session_zone (
    session_id TEXT NOT NULL REFERENCES treatment_session (id),
    ordinal    BIGINT NOT NULL,
    zone       TEXT NOT NULL,
    depth_um   BIGINT NOT NULL CHECK (depth_um > 0 AND depth_um <= 3000),
    passes     BIGINT NOT NULL CHECK (passes BETWEEN 1 AND 20),
    technique  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (session_id, ordinal)
);

CREATE TABLE session_product (
    session_id TEXT NOT NULL REFERENCES treatment_session (id),
    ordinal    BIGINT NOT NULL,
    lot_id     TEXT NOT NULL REFERENCES lot (id),
    phase      TEXT NOT NULL CHECK (phase IN ('before', 'during', 'after')),
    PRIMARY KEY (session_id, ordinal)
);
CREATE INDEX session_product_by_lot ON session_product (lot_id);

-- Care warnings shown when the session was saved, with the reason given.
CREATE TABLE session_warning (
    session_id TEXT NOT NULL REFERENCES treatment_session (id),
    ordinal    BIGINT NOT NULL,
    rule       TEXT NOT NULL,
    zone       TEXT,
    message    TEXT NOT NULL,
    reason     TEXT NOT NULL,
    PRIMARY KEY (session_id, ordinal)
);

-- by_account refers to account, which comes later: its foreign key is
-- added after it.
CREATE TABLE session_amendment (
    id          TEXT PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES treatment_session (id),
    at          TEXT NOT NULL,
    reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    changed     TEXT NOT NULL,
    before      TEXT NOT NULL,
    after       TEXT NOT NULL,
    -- 7
    by_account  TEXT,
    signed_hash TEXT
);
CREATE INDEX amendment_by_session ON session_amendment (session_id, at);

CREATE TRIGGER amendment_no_update BEFORE UPDATE ON session_amendment
    FOR EACH ROW EXECUTE FUNCTION refuse_change('amendments cannot be changed');
-- amendment_no_delete comes with erasure, below, as on SQLite.

-- 3: clinical photos: originals content-addressed by SHA-256 under
-- photos/, tagged with kind, zone and pose, with a saved alignment.

-- follow_up_id refers to follow_up, which comes later: its foreign key is
-- added after it.
CREATE TABLE photo (
    id            TEXT PRIMARY KEY,
    client_id     TEXT NOT NULL REFERENCES client (id),
    session_id    TEXT REFERENCES treatment_session (id),
    sha256        TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    format        TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'webp', 'heic')),
    original_name TEXT NOT NULL,
    bytes         BIGINT NOT NULL CHECK (bytes > 0),
    width         BIGINT NOT NULL CHECK (width > 0),
    height        BIGINT NOT NULL CHECK (height > 0),
    orientation   BIGINT NOT NULL DEFAULT 1 CHECK (orientation BETWEEN 1 AND 8),
    captured_at   TEXT,
    imported_at   TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('before', 'after', 'progress')),
    zone          TEXT NOT NULL CHECK (length(trim(zone)) > 0),
    pose          TEXT NOT NULL CHECK (pose IN ('front', 'left_45', 'right_45', 'left_90', 'right_90', 'custom')),
    custom_pose   TEXT,
    alignment     TEXT,
    -- 4
    follow_up_id  TEXT,
    -- 9
    conditions    TEXT,
    portrait      BIGINT NOT NULL DEFAULT 0 CHECK (portrait IN (0, 1)),
    CHECK ((pose = 'custom') = (custom_pose IS NOT NULL))
);
CREATE INDEX photo_by_client ON photo (client_id, captured_at);
CREATE INDEX photo_by_session ON photo (session_id);

-- 4: outcomes over time: follow-up visits, adverse events followed to
-- resolution, and outcome scores on the clinical scales.

CREATE TABLE follow_up (
    id         TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES client (id),
    visited_on TEXT NOT NULL,
    notes      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX follow_up_by_client ON follow_up (client_id, visited_on);

ALTER TABLE photo ADD FOREIGN KEY (follow_up_id) REFERENCES follow_up (id);

CREATE TABLE adverse_event (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES client (id),
    session_id  TEXT REFERENCES treatment_session (id),
    started_on  TEXT NOT NULL,
    description TEXT NOT NULL CHECK (length(trim(description)) > 0),
    severity    TEXT NOT NULL CHECK (severity IN ('mild', 'moderate', 'severe')),
    resolved_on TEXT,
    outcome     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX adverse_event_by_client ON adverse_event (client_id, started_on);

CREATE TABLE outcome_score (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES client (id),
    scale           TEXT NOT NULL,
    value           DOUBLE PRECISION NOT NULL,
    recorded_on     TEXT NOT NULL,
    session_id      TEXT REFERENCES treatment_session (id),
    follow_up_id    TEXT REFERENCES follow_up (id),
    before_photo_id TEXT REFERENCES photo (id),
    after_photo_id  TEXT REFERENCES photo (id),
    note            TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL
);
CREATE INDEX outcome_score_by_client ON outcome_score (client_id, recorded_on);

-- 5: indexes the clinic-scale benchmark showed missing.

CREATE INDEX session_by_plan ON treatment_session (plan_id, started_at);
CREATE INDEX outcome_score_by_before_photo ON outcome_score (before_photo_id);
CREATE INDEX outcome_score_by_after_photo ON outcome_score (after_photo_id);
CREATE INDEX photo_by_follow_up ON photo (follow_up_id);

-- 6: accounts: who signs in and with which role. Accounts are disabled,
-- never deleted, so their history stays attributable.

CREATE TABLE account (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    role            TEXT NOT NULL
                    CHECK (role IN ('owner', 'practitioner', 'assistant', 'reviewer')),
    practitioner_id TEXT REFERENCES practitioner (id),
    passphrase_hash TEXT,
    disabled        BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failed_attempts BIGINT NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    retry_after     TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    -- 7
    pin_hash        TEXT,
    pin_failures    BIGINT NOT NULL DEFAULT 0 CHECK (pin_failures >= 0)
);
-- SQLite: ON account (name COLLATE NOCASE).
CREATE UNIQUE INDEX account_by_name ON account (lower(name));

CREATE TRIGGER account_no_delete BEFORE DELETE ON account
    FOR EACH ROW EXECUTE FUNCTION refuse_change('accounts are disabled, never deleted');
CREATE TRIGGER account_no_truncate BEFORE TRUNCATE ON account
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('accounts are disabled, never deleted');

ALTER TABLE treatment_session ADD FOREIGN KEY (signed_by_account) REFERENCES account (id);
ALTER TABLE treatment_session ADD FOREIGN KEY (cosigned_by_account) REFERENCES account (id);
ALTER TABLE session_amendment ADD FOREIGN KEY (by_account) REFERENCES account (id);

-- 7: who did it (the columns are in their tables above).

CREATE INDEX audit_by_entity ON audit_event (entity, entity_id);
CREATE INDEX audit_by_actor ON audit_event (actor_id, seq);
CREATE INDEX session_awaiting_cosign ON treatment_session (cosign_required, cosigned_at);

-- 8: erasure. While a client is being erased (its id in `erasure`, inside
-- the erasing transaction only), the amendments of its sessions may go
-- with them.

CREATE TABLE erasure (
    client_id TEXT PRIMARY KEY
);

-- SQLite puts the condition in the trigger's WHEN clause; PostgreSQL allows
-- no subquery there, so the function tests it.
CREATE FUNCTION amendment_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM erasure e JOIN treatment_session s ON s.client_id = e.client_id
                   WHERE s.id = OLD.session_id) THEN
        RAISE EXCEPTION 'amendments cannot be deleted';
    END IF;
    RETURN OLD;
END;
$$;

CREATE TRIGGER amendment_no_delete BEFORE DELETE ON session_amendment
    FOR EACH ROW EXECUTE FUNCTION amendment_refuse_delete();
-- An erasure deletes its client's amendments row by row; TRUNCATE would
-- take every client's.
CREATE TRIGGER amendment_no_truncate BEFORE TRUNCATE ON session_amendment
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('amendments cannot be deleted');

-- 9: photos that compare: capture conditions, and the client's portrait
-- (at most one per client; the columns are in photo above).

CREATE UNIQUE INDEX photo_one_portrait ON photo (client_id) WHERE portrait = 1;
