//! The schema as an append-only list of migrations; entry `n` takes the
//! database from `user_version` n to n + 1. Never edit or remove an entry.

pub(super) const MIGRATIONS: &[&str] = &[
    // 1: practitioners, clients with full-text search, and the audit chain.
    r#"
CREATE TABLE practitioner (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    credentials TEXT NOT NULL DEFAULT '',
    archived    INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE client (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL CHECK (length(trim(name)) > 0),
    date_of_birth TEXT,
    phone         TEXT,
    email         TEXT,
    fitzpatrick   INTEGER CHECK (fitzpatrick BETWEEN 1 AND 6),
    notes         TEXT NOT NULL DEFAULT '',
    archived      INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

CREATE INDEX client_by_name ON client (name COLLATE NOCASE);
CREATE INDEX client_by_birth ON client (date_of_birth);

-- Substring search over name, phone digits and email; the trigram tokenizer
-- folds case and diacritics, so "mull" finds "Müller".
CREATE VIRTUAL TABLE client_search USING fts5 (
    name, phone, email,
    tokenize = 'trigram remove_diacritics 1'
);

CREATE TRIGGER client_search_insert AFTER INSERT ON client BEGIN
    INSERT INTO client_search (rowid, name, phone, email) VALUES (
        new.rowid, new.name,
        replace(replace(replace(replace(replace(replace(coalesce(new.phone, ''),
            ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', ''),
        coalesce(new.email, ''));
END;

CREATE TRIGGER client_search_update AFTER UPDATE OF name, phone, email ON client BEGIN
    DELETE FROM client_search WHERE rowid = old.rowid;
    INSERT INTO client_search (rowid, name, phone, email) VALUES (
        new.rowid, new.name,
        replace(replace(replace(replace(replace(replace(coalesce(new.phone, ''),
            ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', ''),
        coalesce(new.email, ''));
END;

CREATE TRIGGER client_search_delete AFTER DELETE ON client BEGIN
    DELETE FROM client_search WHERE rowid = old.rowid;
END;

-- Append-only, hash-chained record of every change.
CREATE TABLE audit_event (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event BEGIN
    SELECT RAISE(ABORT, 'audit events cannot be changed');
END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event BEGIN
    SELECT RAISE(ABORT, 'audit events cannot be deleted');
END;
"#,
];
