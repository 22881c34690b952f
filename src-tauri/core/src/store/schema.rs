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
    // 2: the treatment record: clinic settings, catalogue, screening,
    // consents, plans, sessions with zones and products, amendments.
    r#"
ALTER TABLE client ADD COLUMN glogau INTEGER CHECK (glogau BETWEEN 1 AND 4);
ALTER TABLE client ADD COLUMN indications TEXT NOT NULL DEFAULT '[]';
ALTER TABLE client ADD COLUMN alerts TEXT NOT NULL DEFAULT '';

-- Clinic settings as one JSON document per key (defaults live in code).
CREATE TABLE clinic_setting (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE device (
    id              TEXT PRIMARY KEY,
    model           TEXT NOT NULL CHECK (length(trim(model)) > 0),
    serial          TEXT NOT NULL DEFAULT '',
    min_depth_um    INTEGER NOT NULL,
    max_depth_um    INTEGER NOT NULL,
    step_um         INTEGER NOT NULL,
    evaluated_up_to_um INTEGER,
    archived        INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at      TEXT NOT NULL,
    CHECK (min_depth_um >= 0 AND max_depth_um > min_depth_um AND step_um > 0)
) STRICT;

CREATE TABLE product (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind         TEXT NOT NULL CHECK (kind IN ('cartridge', 'serum', 'anaesthetic', 'aftercare', 'other')),
    manufacturer TEXT NOT NULL DEFAULT '',
    needle_count INTEGER,
    archived     INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at   TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX product_by_name ON product (name COLLATE NOCASE, kind);

CREATE TABLE lot (
    id         TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES product (id),
    lot_number TEXT NOT NULL CHECK (length(trim(lot_number)) > 0),
    expires_on TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX lot_by_number ON lot (product_id, lot_number COLLATE NOCASE);
CREATE INDEX lot_by_number_only ON lot (lot_number COLLATE NOCASE);

CREATE TABLE screening (
    id               TEXT PRIMARY KEY,
    client_id        TEXT NOT NULL REFERENCES client (id),
    taken_on         TEXT NOT NULL,
    question_set     INTEGER NOT NULL,
    answers          TEXT NOT NULL,
    created_at       TEXT NOT NULL
) STRICT;
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
) STRICT;
CREATE INDEX consent_by_client ON consent (client_id, kind);

CREATE TABLE treatment_plan (
    id               TEXT PRIMARY KEY,
    client_id        TEXT NOT NULL REFERENCES client (id),
    created_on       TEXT NOT NULL,
    goals            TEXT NOT NULL,
    concerns         TEXT NOT NULL,
    skin_assessment  TEXT NOT NULL,
    zones            TEXT NOT NULL,
    sessions_planned INTEGER NOT NULL CHECK (sessions_planned BETWEEN 1 AND 20),
    interval_days    INTEGER NOT NULL CHECK (interval_days BETWEEN 1 AND 365),
    closed           INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    created_at       TEXT NOT NULL
) STRICT;
CREATE INDEX plan_by_client ON treatment_plan (client_id, created_on);

CREATE TABLE treatment_session (
    id               TEXT PRIMARY KEY,
    client_id        TEXT NOT NULL REFERENCES client (id),
    practitioner_id  TEXT NOT NULL REFERENCES practitioner (id),
    plan_id          TEXT REFERENCES treatment_plan (id),
    started_at       TEXT NOT NULL,
    local_date       TEXT NOT NULL,
    device_id        TEXT REFERENCES device (id),
    cartridge_lot_id TEXT REFERENCES lot (id),
    anaesthetic      TEXT,
    anaesthetic_lot_id TEXT REFERENCES lot (id),
    anaesthetic_applied TEXT,
    anaesthetic_removed TEXT,
    endpoint         TEXT,
    pain             INTEGER CHECK (pain BETWEEN 0 AND 10),
    immediate_reaction TEXT NOT NULL DEFAULT '',
    adverse_events   TEXT NOT NULL DEFAULT '',
    aftercare        TEXT NOT NULL DEFAULT '',
    notes            TEXT NOT NULL DEFAULT '',
    signed_at        TEXT,
    signed_by        TEXT REFERENCES practitioner (id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX session_by_client ON treatment_session (client_id, started_at);
CREATE INDEX session_by_cartridge ON treatment_session (cartridge_lot_id);
CREATE INDEX session_by_anaesthetic ON treatment_session (anaesthetic_lot_id);

CREATE TABLE session_zone (
    session_id TEXT NOT NULL REFERENCES treatment_session (id),
    ordinal    INTEGER NOT NULL,
    zone       TEXT NOT NULL,
    depth_um   INTEGER NOT NULL CHECK (depth_um > 0 AND depth_um <= 3000),
    passes     INTEGER NOT NULL CHECK (passes BETWEEN 1 AND 20),
    technique  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (session_id, ordinal)
) STRICT;

CREATE TABLE session_product (
    session_id TEXT NOT NULL REFERENCES treatment_session (id),
    ordinal    INTEGER NOT NULL,
    lot_id     TEXT NOT NULL REFERENCES lot (id),
    phase      TEXT NOT NULL CHECK (phase IN ('before', 'during', 'after')),
    PRIMARY KEY (session_id, ordinal)
) STRICT;
CREATE INDEX session_product_by_lot ON session_product (lot_id);

-- Care warnings shown when the session was saved, with the reason given.
CREATE TABLE session_warning (
    session_id TEXT NOT NULL REFERENCES treatment_session (id),
    ordinal    INTEGER NOT NULL,
    rule       TEXT NOT NULL,
    zone       TEXT,
    message    TEXT NOT NULL,
    reason     TEXT NOT NULL,
    PRIMARY KEY (session_id, ordinal)
) STRICT;

CREATE TABLE session_amendment (
    id         TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES treatment_session (id),
    at         TEXT NOT NULL,
    reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    changed    TEXT NOT NULL,
    before     TEXT NOT NULL,
    after      TEXT NOT NULL
) STRICT;
CREATE INDEX amendment_by_session ON session_amendment (session_id, at);

CREATE TRIGGER amendment_no_update BEFORE UPDATE ON session_amendment BEGIN
    SELECT RAISE(ABORT, 'amendments cannot be changed');
END;
CREATE TRIGGER amendment_no_delete BEFORE DELETE ON session_amendment BEGIN
    SELECT RAISE(ABORT, 'amendments cannot be deleted');
END;
"#,
    // 3: clinical photos: originals content-addressed by SHA-256 under
    // photos/, tagged with kind, zone and pose, with a saved alignment.
    r#"
CREATE TABLE photo (
    id            TEXT PRIMARY KEY,
    client_id     TEXT NOT NULL REFERENCES client (id),
    session_id    TEXT REFERENCES treatment_session (id),
    sha256        TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    format        TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'webp', 'heic')),
    original_name TEXT NOT NULL,
    bytes         INTEGER NOT NULL CHECK (bytes > 0),
    width         INTEGER NOT NULL CHECK (width > 0),
    height        INTEGER NOT NULL CHECK (height > 0),
    orientation   INTEGER NOT NULL DEFAULT 1 CHECK (orientation BETWEEN 1 AND 8),
    captured_at   TEXT,
    imported_at   TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('before', 'after', 'progress')),
    zone          TEXT NOT NULL CHECK (length(trim(zone)) > 0),
    pose          TEXT NOT NULL CHECK (pose IN ('front', 'left_45', 'right_45', 'left_90', 'right_90', 'custom')),
    custom_pose   TEXT,
    alignment     TEXT,
    CHECK ((pose = 'custom') = (custom_pose IS NOT NULL))
) STRICT;
CREATE INDEX photo_by_client ON photo (client_id, captured_at);
CREATE INDEX photo_by_session ON photo (session_id);
"#,
    // 4: outcomes over time: follow-up visits, adverse events followed to
    // resolution, and outcome scores on the clinical scales.
    r#"
CREATE TABLE follow_up (
    id         TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES client (id),
    visited_on TEXT NOT NULL,
    notes      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX follow_up_by_client ON follow_up (client_id, visited_on);

ALTER TABLE photo ADD COLUMN follow_up_id TEXT REFERENCES follow_up (id);

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
) STRICT;
CREATE INDEX adverse_event_by_client ON adverse_event (client_id, started_on);

CREATE TABLE outcome_score (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES client (id),
    scale           TEXT NOT NULL,
    value           REAL NOT NULL,
    recorded_on     TEXT NOT NULL,
    session_id      TEXT REFERENCES treatment_session (id),
    follow_up_id    TEXT REFERENCES follow_up (id),
    before_photo_id TEXT REFERENCES photo (id),
    after_photo_id  TEXT REFERENCES photo (id),
    note            TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX outcome_score_by_client ON outcome_score (client_id, recorded_on);
"#,
    // 5: indexes the clinic-scale benchmark showed missing: course position
    // and open plans scanned every session; photo foreign keys in scores.
    r#"
CREATE INDEX session_by_plan ON treatment_session (plan_id, started_at);
CREATE INDEX outcome_score_by_before_photo ON outcome_score (before_photo_id);
CREATE INDEX outcome_score_by_after_photo ON outcome_score (after_photo_id);
CREATE INDEX photo_by_follow_up ON photo (follow_up_id);
"#,
    // 6: accounts: who signs in and with which role. Passphrases and PINs
    // are kept only as Argon2id hashes; accounts are disabled, never
    // deleted, so their history stays attributable.
    r#"
CREATE TABLE account (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    role            TEXT NOT NULL
                    CHECK (role IN ('owner', 'practitioner', 'assistant', 'reviewer')),
    practitioner_id TEXT REFERENCES practitioner (id),
    passphrase_hash TEXT,
    disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    retry_after     TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX account_by_name ON account (name COLLATE NOCASE);
CREATE TRIGGER account_no_delete BEFORE DELETE ON account BEGIN
    SELECT RAISE(ABORT, 'accounts are disabled, never deleted');
END;
"#,
    // 7: who did it. Every audit event names its actor (NULL: before
    // accounts); an account has a short PIN to resume and sign; a signature
    // names the account and the hash of what it signed, and a clinic may
    // ask for a second one (co-signature). Practitioners may be prescribers.
    r#"
ALTER TABLE audit_event ADD COLUMN actor_id TEXT;
ALTER TABLE audit_event ADD COLUMN actor_name TEXT;
CREATE INDEX audit_by_entity ON audit_event (entity, entity_id);
CREATE INDEX audit_by_actor ON audit_event (actor_id, seq);

ALTER TABLE account ADD COLUMN pin_hash TEXT;
ALTER TABLE account ADD COLUMN pin_failures INTEGER NOT NULL DEFAULT 0
    CHECK (pin_failures >= 0);

ALTER TABLE practitioner ADD COLUMN prescriber INTEGER NOT NULL DEFAULT 0
    CHECK (prescriber IN (0, 1));

ALTER TABLE treatment_session ADD COLUMN signed_by_account TEXT REFERENCES account (id);
ALTER TABLE treatment_session ADD COLUMN signed_hash TEXT;
ALTER TABLE treatment_session ADD COLUMN cosign_required INTEGER NOT NULL DEFAULT 0
    CHECK (cosign_required IN (0, 1));
ALTER TABLE treatment_session ADD COLUMN cosigned_at TEXT;
ALTER TABLE treatment_session ADD COLUMN cosigned_by_account TEXT REFERENCES account (id);
ALTER TABLE treatment_session ADD COLUMN cosigned_hash TEXT;
CREATE INDEX session_awaiting_cosign ON treatment_session (cosign_required, cosigned_at);

ALTER TABLE session_amendment ADD COLUMN by_account TEXT REFERENCES account (id);
ALTER TABLE session_amendment ADD COLUMN signed_hash TEXT;
"#,
    // 8: sealed at rest. Each change event carries the hash of the row it
    // changed, before and after, so an edit made outside Pinpoint shows
    // against the chain. Erasure: while a client is being erased (its id
    // in `erasure`, inside the erasing transaction only), the amendments of
    // its sessions may go with them.
    r#"
ALTER TABLE audit_event ADD COLUMN before_hash TEXT;
ALTER TABLE audit_event ADD COLUMN after_hash TEXT;

CREATE TABLE erasure (client_id TEXT PRIMARY KEY) STRICT;
DROP TRIGGER amendment_no_delete;
CREATE TRIGGER amendment_no_delete BEFORE DELETE ON session_amendment
WHEN NOT EXISTS (SELECT 1 FROM erasure e JOIN treatment_session s ON s.client_id = e.client_id
                 WHERE s.id = OLD.session_id)
BEGIN
    SELECT RAISE(ABORT, 'amendments cannot be deleted');
END;
"#,
    // 9: photos that compare. The capture conditions ticked on the phone
    // (a JSON list of names), and the photo chosen as the client's portrait
    // (at most one per client).
    r#"
ALTER TABLE photo ADD COLUMN conditions TEXT;
ALTER TABLE photo ADD COLUMN portrait INTEGER NOT NULL DEFAULT 0 CHECK (portrait IN (0, 1));
CREATE UNIQUE INDEX photo_one_portrait ON photo (client_id) WHERE portrait = 1;
"#,
];
