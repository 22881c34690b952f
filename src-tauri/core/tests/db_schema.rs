//! The PostgreSQL schema (`db::POSTGRES_SCHEMA`) against the one the SQLite
//! migrations make: the same tables, columns, keys, indexes and refusing
//! triggers, read from each engine's own catalogue.

use pinpoint_core::db::{Db, Engine, PgConn};
use pinpoint_core::Error;

use super::db::server;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use pinpoint_core::db::POSTGRES_SCHEMA;

/// A schema as its engine describes itself, in terms both engines share.
#[derive(Debug, Default)]
struct Shape {
    /// Each table's columns, in order.
    tables: BTreeMap<String, Vec<Column>>,
    views: BTreeSet<String>,
    /// Each table's primary key columns, in key order.
    primary_keys: BTreeMap<String, Vec<String>>,
    foreign_keys: BTreeSet<ForeignKey>,
    /// Every index but the primary keys'.
    indexes: BTreeSet<Index>,
    triggers: BTreeSet<Trigger>,
}

#[derive(Debug, PartialEq)]
struct Column {
    name: String,
    /// What both engines call the type: integer, text, real or blob.
    family: String,
    not_null: bool,
    default: Option<String>,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct ForeignKey {
    table: String,
    column: String,
    references: String,
    referenced_column: String,
    on_delete: String,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    table: String,
    /// `None` for the index behind a column's UNIQUE, which each engine
    /// names its own way.
    name: Option<String>,
    /// Columns, or `lower(column)` where SQLite folds case with NOCASE.
    keys: Vec<String>,
    unique: bool,
    partial: bool,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Trigger {
    table: String,
    name: String,
    /// When and on what it fires: "BEFORE UPDATE".
    fires: String,
}

/// The family of a declared type; a type that is not one of the four
/// mapped ones matches nothing on the other engine.
fn family(engine: Engine, declared: &str) -> String {
    let family = match (engine, declared) {
        (Engine::Sqlite, "INTEGER") | (Engine::Postgres, "bigint") => "integer",
        (Engine::Sqlite, "TEXT") | (Engine::Postgres, "text") => "text",
        (Engine::Sqlite, "REAL") | (Engine::Postgres, "double precision") => "real",
        (Engine::Sqlite, "BLOB") | (Engine::Postgres, "bytea") => "blob",
        (engine, other) => return format!("{other} on {engine:?}"),
    };
    family.to_owned()
}

fn sqlite_shape(db: Db<'_>) -> Shape {
    let mut shape = Shape::default();
    // client_search is each engine's own: here an FTS5 table, with its
    // shadow tables client_search_*; on PostgreSQL a plain table with a
    // trigram index.
    let tables = db
        .query_map(
            r"SELECT name FROM sqlite_master WHERE type = 'table'
                AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
                AND name <> 'client_search' AND name NOT LIKE 'client\_search\_%' ESCAPE '\'",
            &[],
            |r| r.get::<String>(0),
        )
        .unwrap();
    for table in tables {
        let rows = db
            .query(
                r#"SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?1)
                   ORDER BY cid"#,
                &[&table],
            )
            .unwrap();
        let mut columns = Vec::new();
        let mut key = Vec::new();
        for row in &rows {
            let name: String = row.get(0).unwrap();
            let key_position: i64 = row.get(4).unwrap();
            if key_position > 0 {
                key.push((key_position, name.clone()));
            }
            columns.push(Column {
                family: family(Engine::Sqlite, &row.get::<String>(1).unwrap()),
                // A key column holds no NULL: a STRICT table's refuses it,
                // and an INTEGER PRIMARY KEY (the rowid) numbers the row
                // instead, though table_info says notnull 0 for it.
                not_null: row.get::<bool>(2).unwrap() || key_position > 0,
                default: row.get(3).unwrap(),
                name,
            });
        }
        key.sort();
        if !key.is_empty() {
            let key = key.into_iter().map(|(_, name)| name).collect();
            shape.primary_keys.insert(table.clone(), key);
        }

        let foreign_keys = db
            .query(
                r#"SELECT "from", "table", "to", on_delete FROM pragma_foreign_key_list(?1)"#,
                &[&table],
            )
            .unwrap();
        for row in &foreign_keys {
            shape.foreign_keys.insert(ForeignKey {
                table: table.clone(),
                column: row.get(0).unwrap(),
                references: row.get(1).unwrap(),
                referenced_column: row.get(2).unwrap(),
                on_delete: row.get(3).unwrap(),
            });
        }

        let indexes = db
            .query(
                r#"SELECT name, "unique", origin, partial FROM pragma_index_list(?1)"#,
                &[&table],
            )
            .unwrap();
        for row in &indexes {
            let name: String = row.get(0).unwrap();
            let origin: String = row.get(2).unwrap();
            if origin == "pk" {
                continue;
            }
            let keys = db
                .query_map(
                    "SELECT name, coll FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno",
                    &[&name],
                    |r| {
                        Ok(match (r.get::<Option<String>>(0)?, r.get::<String>(1)?) {
                            (Some(column), coll) if coll.eq_ignore_ascii_case("NOCASE") => {
                                format!("lower({column})")
                            }
                            (Some(column), _) => column,
                            (None, _) => "(an expression)".to_owned(),
                        })
                    },
                )
                .unwrap();
            shape.indexes.insert(Index {
                table: table.clone(),
                name: (origin == "c").then_some(name),
                keys,
                unique: row.get(1).unwrap(),
                partial: row.get(3).unwrap(),
            });
        }
        shape.tables.insert(table, columns);
    }
    shape.views = db
        .query_map(
            "SELECT name FROM sqlite_master WHERE type = 'view'",
            &[],
            |r| r.get(0),
        )
        .unwrap()
        .into_iter()
        .collect();
    // Less the triggers that keep client_search filled.
    let triggers = db
        .query(
            "SELECT tbl_name, name, sql FROM sqlite_master
             WHERE type = 'trigger' AND instr(sql, 'client_search') = 0",
            &[],
        )
        .unwrap();
    for row in &triggers {
        // CREATE TRIGGER name BEFORE UPDATE ON ...
        let sql: String = row.get(2).unwrap();
        let words: Vec<&str> = sql.split_whitespace().collect();
        shape.triggers.insert(Trigger {
            table: row.get(0).unwrap(),
            name: row.get(1).unwrap(),
            fires: words[3..5].join(" ").to_uppercase(),
        });
    }
    shape
}

fn postgres_shape(db: Db<'_>) -> Shape {
    let mut shape = Shape::default();
    let columns = db
        .query(
            "SELECT c.table_name::text, c.column_name::text, c.data_type::text,
                    c.is_nullable::text, c.column_default::text
             FROM information_schema.columns c
             JOIN information_schema.tables t
               ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
               -- client_search is each engine's own (see sqlite_shape).
               AND c.table_name <> 'client_search'
             ORDER BY c.table_name, c.ordinal_position",
            &[],
        )
        .unwrap();
    for row in &columns {
        let default: Option<String> = row.get(4).unwrap();
        shape
            .tables
            .entry(row.get(0).unwrap())
            .or_default()
            .push(Column {
                name: row.get(1).unwrap(),
                family: family(Engine::Postgres, &row.get::<String>(2).unwrap()),
                not_null: row.get::<String>(3).unwrap() == "NO",
                // PostgreSQL writes a text default with its cast: ''::text.
                default: default.map(|d| d.strip_suffix("::text").unwrap_or(&d).to_owned()),
            });
    }
    let keys = db
        .query(
            "SELECT t.relname::text, a.attname::text
             FROM pg_constraint c
             JOIN pg_class t ON t.oid = c.conrelid
             CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, position)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
             WHERE c.contype = 'p' AND c.connamespace = 'public'::regnamespace
               AND t.relname <> 'client_search'
             ORDER BY t.relname, k.position",
            &[],
        )
        .unwrap();
    for row in &keys {
        shape
            .primary_keys
            .entry(row.get(0).unwrap())
            .or_default()
            .push(row.get(1).unwrap());
    }
    let foreign_keys = db
        .query(
            "SELECT t.relname::text, a.attname::text, r.relname::text, ra.attname::text,
                    CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT'
                         WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
                         WHEN 'd' THEN 'SET DEFAULT' END
             FROM pg_constraint c
             JOIN pg_class t ON t.oid = c.conrelid
             JOIN pg_class r ON r.oid = c.confrelid
             CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(attnum, refnum)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
             JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.refnum
             WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
               AND t.relname <> 'client_search'",
            &[],
        )
        .unwrap();
    for row in &foreign_keys {
        shape.foreign_keys.insert(ForeignKey {
            table: row.get(0).unwrap(),
            column: row.get(1).unwrap(),
            references: row.get(2).unwrap(),
            referenced_column: row.get(3).unwrap(),
            on_delete: row.get(4).unwrap(),
        });
    }
    // One row per key column. Left out: primary keys (compared above), and
    // client_search's.
    let index_keys = db
        .query(
            "SELECT t.relname::text, i.relname::text, x.indisunique, x.indpred IS NOT NULL,
                    c.contype IS NOT NULL, pg_get_indexdef(x.indexrelid, k, true)
             FROM pg_index x
             JOIN pg_class i ON i.oid = x.indexrelid
             JOIN pg_class t ON t.oid = x.indrelid
             LEFT JOIN pg_constraint c
               ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid AND c.contype = 'u'
             CROSS JOIN LATERAL generate_series(1, x.indnkeyatts) AS k
             WHERE t.relnamespace = 'public'::regnamespace
               AND NOT x.indisprimary AND t.relname <> 'client_search'
             ORDER BY i.relname, k",
            &[],
        )
        .unwrap();
    let mut indexes: BTreeMap<String, Index> = BTreeMap::new();
    for row in &index_keys {
        let name: String = row.get(1).unwrap();
        let from_constraint: bool = row.get(4).unwrap();
        indexes
            .entry(name.clone())
            .or_insert_with(|| Index {
                table: row.get(0).unwrap(),
                name: (!from_constraint).then_some(name),
                keys: Vec::new(),
                unique: row.get(2).unwrap(),
                partial: row.get(3).unwrap(),
            })
            .keys
            .push(row.get(5).unwrap());
    }
    shape.indexes = indexes.into_values().collect();
    shape.views = db
        .query_map(
            "SELECT table_name::text FROM information_schema.views WHERE table_schema = 'public'",
            &[],
            |r| r.get(0),
        )
        .unwrap()
        .into_iter()
        .collect();
    // TRUNCATE triggers are not listed here; SQLite has no TRUNCATE.
    let triggers = db
        .query(
            "SELECT event_object_table::text, trigger_name::text,
                    action_timing::text || ' ' || event_manipulation::text
             FROM information_schema.triggers WHERE trigger_schema = 'public'
               AND trigger_name NOT LIKE 'client\\_search%' ESCAPE '\\'",
            &[],
        )
        .unwrap();
    for row in &triggers {
        shape.triggers.insert(Trigger {
            table: row.get(0).unwrap(),
            name: row.get(1).unwrap(),
            fires: row.get(2).unwrap(),
        });
    }
    shape
}

/// Asserts two sets are equal, naming what differs.
fn assert_same<T: Ord + Debug>(postgres: &BTreeSet<T>, sqlite: &BTreeSet<T>, what: &str) {
    let missing: Vec<&T> = sqlite.difference(postgres).collect();
    let extra: Vec<&T> = postgres.difference(sqlite).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "the {what} must be the same on both engines; missing on PostgreSQL: {missing:#?}; \
         only on PostgreSQL: {extra:#?}"
    );
}

/// Rows for the refusing triggers to guard, in SQL both engines run.
const GUARDED_ROWS: &str = "
INSERT INTO practitioner (id, name, created_at) VALUES ('p1', 'Dr Byron', '2026-11-25');
INSERT INTO client (id, name, created_at, updated_at)
    VALUES ('c1', 'Ada Lovelace', '2026-11-25', '2026-11-25');
INSERT INTO treatment_session (id, client_id, practitioner_id, started_at, local_date,
                               created_at, updated_at)
    VALUES ('s1', 'c1', 'p1', '2026-11-25 10:00:00', '2026-11-25', '2026-11-25', '2026-11-25');
INSERT INTO session_amendment (id, session_id, at, reason, changed, before, after)
    VALUES ('a1', 's1', '2026-11-25', 'depth misread', 'zones', '[]', '[]');
INSERT INTO account (id, name, role, created_at, updated_at)
    VALUES ('u1', 'byron', 'owner', '2026-11-25', '2026-11-25');
INSERT INTO audit_event (seq, at, action, entity, entity_id, detail, prev_hash, hash)
    VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM audit_event),
            '2026-11-25', 'create', 'client', 'c1', '{}', 'genesis', 'h1');
";

const DELETE_AUDIT: &str = "DELETE FROM audit_event WHERE entity_id = 'c1'";
const DELETE_AMENDMENT: &str = "DELETE FROM session_amendment WHERE id = 'a1'";

/// Statements the schema's triggers refuse on GUARDED_ROWS.
const REFUSED: &[&str] = &[
    "UPDATE audit_event SET detail = '{\"edited\": true}' WHERE entity_id = 'c1'",
    DELETE_AUDIT,
    "UPDATE session_amendment SET reason = 'rewritten' WHERE id = 'a1'",
    DELETE_AMENDMENT,
    "DELETE FROM account WHERE id = 'u1'",
];

/// The message the engine refused `sql` with.
fn refusal(db: Db<'_>, sql: &str) -> String {
    let error = match db.execute(sql, &[]) {
        Ok(_) => panic!("{:?} must refuse {sql}", db.engine()),
        Err(error) => error,
    };
    match &error {
        Error::Sqlite(rusqlite::Error::SqliteFailure(_, Some(message))) => message.clone(),
        Error::Server(e) => e
            .as_db_error()
            .map_or_else(|| error.to_string(), |server| server.message().to_owned()),
        other => other.to_string(),
    }
}

/// The phone as the search sees it, as SQLite's client_search triggers
/// strip it.
const PHONE_DIGITS: &str = "replace(replace(replace(replace(replace(replace(coalesce(phone, ''), \
     ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', '')";

#[test]
fn postgres_schema_matches_the_sqlite_one_column_for_column() {
    let folder = crate::fresh_sqlite();
    let sqlite = folder.store.db();
    let (_dir, server) = server();
    let conn = PgConn::connect(&server.params()).unwrap();
    let postgres = conn.db();
    postgres.execute_batch(POSTGRES_SCHEMA).unwrap();

    let want = sqlite_shape(sqlite);
    let have = postgres_shape(postgres);
    assert!(!want.tables.is_empty(), "the SQLite schema was read");
    let tables = |shape: &Shape| shape.tables.keys().cloned().collect::<BTreeSet<_>>();
    assert_same(&tables(&have), &tables(&want), "tables");
    for (table, columns) in &want.tables {
        assert_eq!(
            &have.tables[table], columns,
            "table {table} must have the same columns on both engines, in the same order, \
             with the same nullability, type family and default"
        );
    }
    assert_same(&have.views, &want.views, "views");
    assert_eq!(
        have.primary_keys, want.primary_keys,
        "every table must have the same primary key on both engines"
    );
    assert_same(&have.foreign_keys, &want.foreign_keys, "foreign keys");
    assert_same(&have.indexes, &want.indexes, "indexes");
    assert_same(&have.triggers, &want.triggers, "triggers");

    // The refusing triggers refuse the same statements in the same words.
    let refusals = |db: Db<'_>| {
        db.execute_batch(GUARDED_ROWS).unwrap();
        REFUSED
            .iter()
            .map(|sql| refusal(db, sql))
            .collect::<Vec<_>>()
    };
    let sqlite_refusals = refusals(sqlite);
    assert_eq!(
        refusals(postgres),
        sqlite_refusals,
        "PostgreSQL must refuse {REFUSED:#?} as SQLite does"
    );
    // TRUNCATE passes by row triggers on PostgreSQL: it is refused too.
    for (truncate, delete) in [
        ("TRUNCATE audit_event", DELETE_AUDIT),
        ("TRUNCATE session_amendment", DELETE_AMENDMENT),
    ] {
        let index = REFUSED.iter().position(|sql| *sql == delete).unwrap();
        assert_eq!(
            refusal(postgres, truncate),
            sqlite_refusals[index],
            "{truncate} must be refused as {delete} is"
        );
    }
    // While its client is being erased, a session's amendments may go.
    for db in [sqlite, postgres] {
        db.execute("INSERT INTO erasure (client_id) VALUES ('c1')", &[])
            .unwrap();
        let deleted = db.execute(DELETE_AMENDMENT, &[]).unwrap();
        assert_eq!(
            deleted,
            1,
            "{:?}: an erasure takes the amendment",
            db.engine()
        );
        db.execute("DELETE FROM erasure", &[]).unwrap();
    }

    // The same substring search finds the same clients on both engines.
    for db in [sqlite, postgres] {
        db.execute(
            "INSERT INTO client (id, name, phone, email, created_at, updated_at)
             VALUES ('c2', 'Grace Hopper', '+1 (555) 010-0199', 'grace@navy.example',
                     '2026-11-25', '2026-11-25')",
            &[],
        )
        .unwrap();
        let found = |condition: &str, term: &str| {
            db.query_map(
                &format!("SELECT id FROM client WHERE {condition} ORDER BY id"),
                &[&term],
                |r| r.get::<String>(0),
            )
            .unwrap()
        };
        let by_name = "lower(name) LIKE '%' || lower(?1) || '%'";
        let by_phone = format!("{PHONE_DIGITS} LIKE '%' || ?1 || '%'");
        let engine = db.engine();
        assert_eq!(found(by_name, "HOPP"), ["c2"], "{engine:?}: part of a name");
        assert_eq!(found(by_name, "lace"), ["c1"], "{engine:?}: part of a name");
        assert_eq!(
            found(&by_phone, "5550100"),
            ["c2"],
            "{engine:?}: phone digits"
        );
    }
    // The server's client_search holds the folded text, one field a line.
    let folded = postgres
        .query_one(
            "SELECT name_fold, words FROM client_search WHERE client_id = 'c2'",
            &[],
            "the folded search text",
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
        )
        .unwrap();
    assert_eq!(
        folded,
        (
            "grace hopper".to_owned(),
            "grace hopper\ngrace@navy.example\n15550100199".to_owned()
        )
    );
    // Its trigram index serves the search as client.rs writes it.
    postgres.execute_batch("SET enable_seqscan = off").unwrap();
    let plan = postgres
        .query_map(
            "EXPLAIN SELECT client_id FROM client_search WHERE words LIKE (SELECT search_fold(?1))",
            &[&"%hopp%"],
            |r| r.get::<String>(0),
        )
        .unwrap()
        .join("\n");
    assert!(
        plan.contains("client_search_words"),
        "the search must use the trigram index:\n{plan}"
    );
}
