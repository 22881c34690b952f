//! Moving a single desktop's data folder into clinic mode
//! (`pinpoint clinic migrate`): every record of the folder's SQLite file
//! copied, as it is, into an empty clinic database, in one transaction
//! (all of it or none), then the audit chain verified on both sides and
//! their heads compared. The rows travel unchanged, so the chain's hashes
//! (which cover each row's content) hold on the server as they did in the
//! file.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Db, ToValue, Value};
use crate::audit::{self, Head};
use crate::{Error, Result, Store};

/// How many rows are read from the file at a time: memory stays flat
/// however large the folder.
const PAGE: i64 = 500;

/// What a move copied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Moved {
    /// Each table and how many rows it holds now on the server.
    pub tables: Vec<(String, u64)>,
    /// How many photos went into the clinic's photo store.
    pub photos: u64,
    /// The audit chain's head, the same on both sides.
    pub head: Option<Head>,
    /// How many events the chain holds, verified on both sides.
    pub events: u32,
}

/// Copies every record of `from` (a data folder, on SQLite) into `to` (a
/// clinic database, on PostgreSQL, holding no records yet). `progress`
/// hears each table's name and the rows copied so far.
pub fn into_clinic(
    from: &Store,
    to: &mut Store,
    progress: &mut dyn FnMut(&str, u64),
) -> Result<Moved> {
    let source = from.db();
    if !matches!(source, Db::Sqlite(_)) || !to.is_clinic() {
        return Err(Error::invalid_input(
            "a move goes from a data folder into a clinic database",
        ));
    }
    let before = audit::verify_chain(source)?;
    if let Some(link) = &before.first_broken {
        return Err(Error::Damaged(format!(
            "the data folder's audit log does not hold (event {} {}): check it with \
             `pinpoint verify` before moving it",
            link.seq, link.reason
        )));
    }
    let occupied: i64 = to.db().query_one(
        "SELECT (SELECT count(*) FROM client) + (SELECT count(*) FROM audit_event)
              + (SELECT count(*) FROM account)",
        &[],
        "the clinic database's records",
        |row| row.get(0),
    )?;
    if occupied > 0 {
        return Err(Error::Conflict(
            "the clinic database already holds records; a data folder moves only into an \
             empty one"
                .to_owned(),
        ));
    }
    // A folder restored from a clinic's backup brings the clinic's photo
    // key: it replaces the one this empty database was given, so the
    // bucket's photos (which such a backup does not hold) open again.
    let brings_key = crate::store::holds_photo_key(source)?;
    // Otherwise the photos first, each sealed with the clinic's key and in
    // the clinic's bucket before any row names it.
    let photos = if brings_key {
        0
    } else {
        copy_photos(from, to, progress)?
    };
    let tables = in_order(to.db())?;
    let counts = to.write(|target| {
        if brings_key {
            target.execute(
                "DELETE FROM clinic_setting WHERE key = ?1",
                &[&crate::store::PHOTO_KEY_SETTING],
            )?;
        }
        let mut counts = Vec::new();
        for table in &tables {
            let copied = copy_table(source, target, table, progress)?;
            counts.push((table.clone(), copied));
        }
        Ok(counts)
    })?;
    let after = audit::verify_chain(to.db())?;
    let (head_before, head_after) = (audit::head(source)?, audit::head(to.db())?);
    if after.first_broken.is_some() || after.events != before.events || head_before != head_after {
        return Err(Error::Damaged(format!(
            "the audit log on the server does not match the folder's after the move \
             ({} events there, {} here): the server's records need checking",
            after.events, before.events
        )));
    }
    Ok(Moved {
        tables: counts,
        photos,
        head: head_after,
        events: after.events,
    })
}

/// Copies every photo file of `from`'s folder (its original, and its
/// preview and thumbnail when made) into `to`'s: opened with the folder's
/// key if it is sealed, sealed with the clinic's, and sent to the clinic's
/// bucket. Sending again what the bucket has is skipped, so a move cut
/// short resumes. Returns how many photos were copied.
fn copy_photos(from: &Store, to: &Store, progress: &mut dyn FnMut(&str, u64)) -> Result<u64> {
    use crate::photo::{files, PhotoFormat};
    let rows: Vec<(String, String)> = from.db().query_map(
        "SELECT sha256, format FROM photo ORDER BY sha256",
        &[],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let (from_dir, to_dir) = (from.data_dir(), to.data_dir());
    let mut copied = 0;
    for (sha256, format) in &rows {
        if !files::is_sha256_hex(sha256) {
            return Err(Error::Damaged(format!(
                "a photo row's hash {sha256:?} is not a SHA-256: check the folder with \
                 `pinpoint verify` before moving it"
            )));
        }
        let format = PhotoFormat::from_record(format, format_args!("photo {sha256}"))?;
        for (i, relative) in files::all_relatives(sha256, format).iter().enumerate() {
            let plain = match files::read_stored(from_dir, relative) {
                Ok(plain) => plain,
                // A preview or thumbnail is made again when first shown.
                Err(Error::NotFound { .. }) if i > 0 => continue,
                Err(Error::NotFound { .. }) => {
                    return Err(Error::Damaged(format!(
                        "the original {relative} is missing from the folder: check it with \
                         `pinpoint verify` before moving it"
                    )))
                }
                Err(e) => return Err(e),
            };
            files::store_file_owned(to_dir, relative, plain, true)
                .map_err(|e| Error::io(format!("cannot write {relative}"), e))?;
            crate::photo::remote::upload_all(to_dir, std::slice::from_ref(relative))?;
        }
        copied += 1;
        progress("photos", copied);
    }
    Ok(copied)
}

/// Copies every record of the clinic database behind `from` into a new
/// SQLite file at `path` with this build's schema: one consistent moment of
/// the server (a read-only SERIALIZABLE transaction), rows in the order of
/// each table's key. A clinic's backup holds this file as its database, so
/// it restores into a data folder like any other, and moves back into a
/// clinic database with [`into_clinic`].
pub fn into_file(from: &super::PgConn, path: &std::path::Path) -> Result<()> {
    let mut file = crate::store::new_database_file(path)?;
    from.transaction(|source| {
        source.execute_batch("SET TRANSACTION READ ONLY")?;
        let tables = in_order(source)?;
        let tx = file.transaction()?;
        for table in &tables {
            copy_from_server(source, Db::Sqlite(&tx), table)?;
        }
        tx.commit()?;
        Ok(())
    })
}

/// Copies one table from the server, a page at a time in key order.
fn copy_from_server(source: Db<'_>, target: Db<'_>, table: &str) -> Result<()> {
    let key: Vec<String> = source.query_map(
        "SELECT a.attname::text FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
         WHERE i.indrelid = ?1::text::regclass AND i.indisprimary
         ORDER BY array_position(i.indkey, a.attnum)",
        &[&table],
        |row| row.get(0),
    )?;
    let order = if key.is_empty() {
        "1".to_owned()
    } else {
        key.iter()
            .map(|k| format!("\"{k}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let columns: Vec<String> = source.query_map(
        "SELECT attname::text FROM pg_attribute
         WHERE attrelid = ?1::text::regclass AND attnum > 0 AND NOT attisdropped
         ORDER BY attnum",
        &[&table],
        |row| row.get(0),
    )?;
    let listed = columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut offset = 0i64;
    let mut insert: Option<String> = None;
    loop {
        let (names, rows) = source.query_named(
            &format!("SELECT {listed} FROM \"{table}\" ORDER BY {order} LIMIT ?1 OFFSET ?2"),
            &[&PAGE, &offset],
        )?;
        if rows.is_empty() {
            return Ok(());
        }
        let sql = insert.get_or_insert_with(|| insert_sql(table, &names));
        for row in &rows {
            let params: Vec<&dyn ToValue> =
                row.values().iter().map(|v| v as &dyn ToValue).collect();
            target.execute(sql, &params)?;
        }
        offset += rows.len() as i64;
    }
}

fn insert_sql(table: &str, columns: &[String]) -> String {
    let names: Vec<String> = columns.iter().map(|n| format!("\"{n}\"")).collect();
    let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO \"{table}\" ({}) VALUES ({})",
        names.join(", "),
        marks.join(", ")
    )
}

/// The clinic database's tables, each after the tables it refers to.
fn in_order(db: Db<'_>) -> Result<Vec<String>> {
    let names: Vec<String> = db.query_map(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' AND tablename <> ?1
         ORDER BY 1",
        &[&super::ENGINE_OWN_TABLE],
        |row| row.get(0),
    )?;
    let edges: Vec<(String, String)> = db.query_map(
        "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
         WHERE contype = 'f' AND connamespace = 'public'::regnamespace",
        &[],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let mut needs: BTreeMap<String, BTreeSet<String>> =
        names.iter().map(|n| (n.clone(), BTreeSet::new())).collect();
    for (table, refers_to) in edges {
        // Only between the tables listed: client_search, left out, refers
        // to client too.
        if table == refers_to {
            continue;
        }
        if let Some(wanted) = needs.get_mut(&table) {
            wanted.insert(refers_to);
        }
    }
    let mut order = Vec::new();
    while !needs.is_empty() {
        let ready: Vec<String> = needs
            .iter()
            .filter(|(_, wanted)| wanted.iter().all(|w| order.contains(w)))
            .map(|(name, _)| name.clone())
            .collect();
        if ready.is_empty() {
            return Err(Error::Damaged(
                "the clinic database's tables refer to each other in a circle".to_owned(),
            ));
        }
        for name in ready {
            needs.remove(&name);
            order.push(name);
        }
    }
    Ok(order)
}

/// Copies one table, a page at a time in the order its rows were written.
fn copy_table(
    source: Db<'_>,
    target: Db<'_>,
    table: &str,
    progress: &mut dyn FnMut(&str, u64),
) -> Result<u64> {
    let mut after = 0i64;
    let mut copied = 0u64;
    let mut insert: Option<String> = None;
    loop {
        let (names, rows) = source.query_named(
            &format!(
                "SELECT rowid AS _row, * FROM \"{table}\" WHERE rowid > ?1 ORDER BY rowid LIMIT ?2"
            ),
            &[&after, &PAGE],
        )?;
        if rows.is_empty() {
            break;
        }
        let sql = insert.get_or_insert_with(|| insert_sql(table, &names[1..]));
        for row in &rows {
            let values = &row.values()[1..];
            let params: Vec<&dyn ToValue> = values.iter().map(|v| v as &dyn ToValue).collect();
            target
                .execute(sql, &params)
                .map_err(|e| Error::Damaged(format!("a row of {table} could not be moved: {e}")))?;
        }
        after = match rows.last().map(|r| &r.values()[0]) {
            Some(Value::Integer(rowid)) => *rowid,
            _ => break,
        };
        copied += rows.len() as u64;
        progress(table, copied);
    }
    Ok(copied)
}
