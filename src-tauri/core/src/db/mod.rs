//! The SQL the core runs, on either of its two engines: the embedded
//! SQLite file of a single desktop, or a clinic's PostgreSQL server shared
//! by several desktops (DESIGN §8).
//!
//! Both engines see the same statements: `?1`-style placeholders (turned
//! into `$1` for PostgreSQL), the same column types (integers, text, reals,
//! blobs; dates and times as ISO text, booleans as 0/1), and values that
//! travel as [`Value`]. Where the SQL must differ (text search, a few date
//! and JSON functions) the caller asks [`Db::engine`] and keeps both forms
//! side by side.
//!
//! A [`Db`] is a cheap handle (`Copy`) on one connection or one open
//! transaction; rows are read whole before the caller's closure sees them,
//! so a closure may run further queries on the same handle.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::{Error, Result};

/// The table each engine keeps for itself: client_search, filled by
/// triggers on client (SQLite's an FTS5 table, PostgreSQL's a plain one
/// with a trigram index). Copies between the engines leave it out.
pub(crate) const ENGINE_OWN_TABLE: &str = "client_search";

pub mod changes;
pub mod connection;
pub mod local;
pub mod migrate;
pub mod postgres;

pub use self::postgres::PgConn;

/// The schema on PostgreSQL, as one script: the twin of the SQLite schema
/// that [`Store::schema_version`](crate::Store::schema_version) names,
/// version [`POSTGRES_SCHEMA_VERSION`] (the migrations in `store/schema.rs`,
/// all applied). It makes every table, index and refusing trigger those
/// migrations end at; where the engines differ (case-folded indexes, client
/// search, refusals), its comments say how.
pub const POSTGRES_SCHEMA: &str = include_str!("schema_pg.sql");

/// The SQLite schema version that [`POSTGRES_SCHEMA`] matches. A new SQLite
/// migration needs its PostgreSQL twin in `schema_pg.sql`, and this raised
/// with it.
pub const POSTGRES_SCHEMA_VERSION: i64 = 9;

/// Which engine a [`Db`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// The embedded SQLite file of a data folder.
    Sqlite,
    /// A clinic's PostgreSQL server.
    Postgres,
}

/// One SQL value, as both engines store it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// A Rust value that can be bound to a placeholder.
pub trait ToValue {
    fn to_value(&self) -> Value;
}

/// A Rust value that can be read from a column.
pub trait FromValue: Sized {
    /// `what` names the column for the error message.
    fn from_value(value: &Value, what: &str) -> Result<Self>;
}

fn mismatch(what: &str, wanted: &str, found: &Value) -> Error {
    let found = match found {
        Value::Null => "NULL",
        Value::Integer(_) => "an integer",
        Value::Real(_) => "a real number",
        Value::Text(_) => "text",
        Value::Blob(_) => "a blob",
    };
    Error::Damaged(format!("{what} holds {found} where {wanted} belongs"))
}

macro_rules! integer_values {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            /// A count beyond `i64::MAX` (only `u64` and `usize` can hold
            /// one) never reaches the store; it is clamped, not wrapped.
            fn to_value(&self) -> Value {
                Value::Integer(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
        impl FromValue for $t {
            fn from_value(value: &Value, what: &str) -> Result<Self> {
                match value {
                    Value::Integer(n) => <$t>::try_from(*n).map_err(|_| {
                        Error::Damaged(format!("{what} holds {n}, out of range"))
                    }),
                    other => Err(mismatch(what, "an integer", other)),
                }
            }
        }
    )*};
}
integer_values!(i64, i32, u32, u16, u8, i16, i8, u64, usize);

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Integer(i64::from(*self))
    }
}

impl FromValue for bool {
    fn from_value(value: &Value, what: &str) -> Result<Self> {
        match value {
            Value::Integer(0) => Ok(false),
            Value::Integer(1) => Ok(true),
            other => Err(mismatch(what, "0 or 1", other)),
        }
    }
}

impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}

impl FromValue for f64 {
    fn from_value(value: &Value, what: &str) -> Result<Self> {
        match value {
            Value::Real(x) => Ok(*x),
            // SQLite stores a whole real as an integer.
            Value::Integer(n) => Ok(*n as f64),
            other => Err(mismatch(what, "a number", other)),
        }
    }
}

impl ToValue for f32 {
    fn to_value(&self) -> Value {
        Value::Real(f64::from(*self))
    }
}

impl FromValue for f32 {
    fn from_value(value: &Value, what: &str) -> Result<Self> {
        f64::from_value(value, what).map(|x| x as f32)
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_owned())
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl FromValue for String {
    fn from_value(value: &Value, what: &str) -> Result<Self> {
        match value {
            Value::Text(text) => Ok(text.clone()),
            other => Err(mismatch(what, "text", other)),
        }
    }
}

impl ToValue for [u8] {
    fn to_value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}

impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}

impl FromValue for Vec<u8> {
    fn from_value(value: &Value, what: &str) -> Result<Self> {
        match value {
            Value::Blob(bytes) => Ok(bytes.clone()),
            other => Err(mismatch(what, "a blob", other)),
        }
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value, what: &str) -> Result<Self> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other, what).map(Some),
        }
    }
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl FromValue for Value {
    fn from_value(value: &Value, _: &str) -> Result<Self> {
        Ok(value.clone())
    }
}

// Dates and times are text in both engines, written exactly as the SQLite
// file has always held them (so existing folders read the same and text
// order is time order).

impl ToValue for NaiveDate {
    fn to_value(&self) -> Value {
        Value::Text(self.format("%F").to_string())
    }
}

impl FromValue for NaiveDate {
    fn from_value(value: &Value, what: &str) -> Result<Self> {
        let text = String::from_value(value, what)?;
        NaiveDate::parse_from_str(&text, "%F")
            .map_err(|_| Error::Damaged(format!("{what} holds {text:?}, not a date")))
    }
}

impl ToValue for NaiveDateTime {
    fn to_value(&self) -> Value {
        Value::Text(self.format("%F %T%.f").to_string())
    }
}

impl FromValue for NaiveDateTime {
    fn from_value(value: &Value, what: &str) -> Result<Self> {
        let text = String::from_value(value, what)?;
        let text = text.replacen('T', " ", 1);
        NaiveDateTime::parse_from_str(&text, "%F %T%.f")
            .map_err(|_| Error::Damaged(format!("{what} holds {text:?}, not a date and time")))
    }
}

impl ToValue for DateTime<Utc> {
    fn to_value(&self) -> Value {
        Value::Text(self.format("%F %T%.f%:z").to_string())
    }
}

impl FromValue for DateTime<Utc> {
    fn from_value(value: &Value, what: &str) -> Result<Self> {
        let text = String::from_value(value, what)?;
        let bad = || Error::Damaged(format!("{what} holds {text:?}, not a moment in time"));
        let mut spaced = text.replacen('T', " ", 1);
        // RFC 3339's "Z" (how `store::format_instant` writes) is UTC.
        if let Some(stem) = spaced.strip_suffix('Z') {
            spaced = format!("{stem}+00:00");
        }
        DateTime::parse_from_str(&spaced, "%F %T%.f%:z")
            .map(|at| at.with_timezone(&Utc))
            .or_else(|_| {
                // Written without an offset: UTC.
                NaiveDateTime::parse_from_str(&spaced, "%F %T%.f").map(|at| at.and_utc())
            })
            .map_err(|_| bad())
    }
}

/// One row of a result, read whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    values: Vec<Value>,
}

impl Row {
    pub(crate) fn new(values: Vec<Value>) -> Row {
        Row { values }
    }

    /// Column `index` (from 0) as a `T`.
    pub fn get<T: FromValue>(&self, index: usize) -> Result<T> {
        let value = self.values.get(index).ok_or_else(|| {
            Error::Damaged(format!(
                "column {index} asked of a row of {}",
                self.values.len()
            ))
        })?;
        T::from_value(value, &format!("column {index}"))
    }

    /// The row's values, in column order.
    pub fn values(&self) -> &[Value] {
        &self.values
    }
}

/// A handle on one connection (or one open transaction) of either engine.
#[derive(Debug, Clone, Copy)]
pub enum Db<'c> {
    Sqlite(&'c rusqlite::Connection),
    Postgres(&'c PgConn),
}

impl<'c> From<&'c rusqlite::Connection> for Db<'c> {
    fn from(conn: &'c rusqlite::Connection) -> Self {
        Db::Sqlite(conn)
    }
}

impl<'c> From<&'c rusqlite::Transaction<'_>> for Db<'c> {
    fn from(tx: &'c rusqlite::Transaction<'_>) -> Self {
        Db::Sqlite(tx)
    }
}

impl<'c> From<&'c PgConn> for Db<'c> {
    fn from(conn: &'c PgConn) -> Self {
        Db::Postgres(conn)
    }
}

impl Db<'_> {
    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    /// Runs one statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: &[&dyn ToValue]) -> Result<u64> {
        let params = values(params);
        match self {
            Db::Sqlite(conn) => {
                let mut stmt = conn.prepare_cached(sql)?;
                Ok(
                    stmt.execute(rusqlite::params_from_iter(params.iter().map(sqlite_value)))?
                        as u64,
                )
            }
            Db::Postgres(conn) => conn.execute(sql, &params),
        }
    }

    /// Runs several statements without parameters (a schema, say).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Db::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Db::Postgres(conn) => conn.execute_batch(sql),
        }
    }

    /// A case-blind equality of the text column `column` and the
    /// placeholder `param` (`?1`), as ASCII case folding: SQLite's NOCASE
    /// collation (which its indexes use), PostgreSQL's `lower()` (which the
    /// twin schema's indexes use).
    pub fn same_text(&self, column: &str, param: &str) -> String {
        match self {
            Db::Sqlite(_) => format!("{column} = {param} COLLATE NOCASE"),
            Db::Postgres(_) => format!("lower({column}) = lower({param})"),
        }
    }

    /// The text column `column` for a case-blind `ORDER BY`.
    pub fn text_order(&self, column: &str) -> String {
        match self {
            Db::Sqlite(_) => format!("{column} COLLATE NOCASE"),
            Db::Postgres(_) => format!("lower({column})"),
        }
    }

    /// Every row of a query.
    pub fn query(&self, sql: &str, params: &[&dyn ToValue]) -> Result<Vec<Row>> {
        Ok(self.query_named(sql, params)?.1)
    }

    /// The column names and every row of a query.
    pub fn query_named(
        &self,
        sql: &str,
        params: &[&dyn ToValue],
    ) -> Result<(Vec<String>, Vec<Row>)> {
        let params = values(params);
        match self {
            Db::Sqlite(conn) => {
                let mut stmt = conn.prepare_cached(sql)?;
                let names: Vec<String> =
                    stmt.column_names().iter().map(|n| n.to_string()).collect();
                let mut rows =
                    stmt.query(rusqlite::params_from_iter(params.iter().map(sqlite_value)))?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    let mut values = Vec::with_capacity(names.len());
                    for index in 0..names.len() {
                        values.push(from_sqlite(row.get_ref(index)?));
                    }
                    out.push(Row::new(values));
                }
                Ok((names, out))
            }
            Db::Postgres(conn) => conn.query_named(sql, &params),
        }
    }

    /// Each row of a query through `f`.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: &[&dyn ToValue],
        f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.query(sql, params)?.iter().map(f).collect()
    }

    /// The first row of a query through `f`, or `None` when it has none.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        params: &[&dyn ToValue],
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<Option<T>> {
        self.query(sql, params)?.first().map(f).transpose()
    }

    /// The first row of a query through `f`; `what` names the record in
    /// the not-found error when there is none.
    pub fn query_one<T>(
        &self,
        sql: &str,
        params: &[&dyn ToValue],
        what: &str,
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<T> {
        self.query_opt(sql, params, f)?
            .ok_or_else(|| Error::not_found(what))
    }
}

fn values(params: &[&dyn ToValue]) -> Vec<Value> {
    params.iter().map(|p| p.to_value()).collect()
}

fn sqlite_value(value: &Value) -> rusqlite::types::ToSqlOutput<'_> {
    use rusqlite::types::ValueRef;
    rusqlite::types::ToSqlOutput::Borrowed(match value {
        Value::Null => ValueRef::Null,
        Value::Integer(n) => ValueRef::Integer(*n),
        Value::Real(x) => ValueRef::Real(*x),
        Value::Text(text) => ValueRef::Text(text.as_bytes()),
        Value::Blob(bytes) => ValueRef::Blob(bytes),
    })
}

fn from_sqlite(value: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(n) => Value::Integer(n),
        ValueRef::Real(x) => Value::Real(x),
        ValueRef::Text(text) => Value::Text(String::from_utf8_lossy(text).into_owned()),
        ValueRef::Blob(bytes) => Value::Blob(bytes.to_vec()),
    }
}

/// `sql` with SQLite's placeholders (`?`, `?NNN`) written as PostgreSQL's
/// (`$N`); text in quotes and comments is left as it is.
pub fn dollar_placeholders(sql: &str) -> Cow<'_, str> {
    if !sql.contains('?') {
        return Cow::Borrowed(sql);
    }
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 8);
    let mut next = 1usize;
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'\'' | b'"') => {
                // To the closing quote; a doubled quote stays inside.
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == quote {
                        if bytes.get(i + 1) == Some(&quote) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
            }
            b'?' => {
                out.push_str(&sql[copied..i]);
                let digits = bytes[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let number = if digits == 0 {
                    next
                } else {
                    sql[i + 1..i + 1 + digits].parse().unwrap_or(next)
                };
                next = number + 1;
                out.push('$');
                out.push_str(&number.to_string());
                i += 1 + digits;
                copied = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&sql[copied.min(sql.len())..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_numbered_outside_quotes_and_comments() {
        assert_eq!(
            dollar_placeholders("SELECT a FROM t WHERE b = ?1 AND c = ?2"),
            "SELECT a FROM t WHERE b = $1 AND c = $2"
        );
        assert_eq!(
            dollar_placeholders("VALUES (?, ?, ?)"),
            "VALUES ($1, $2, $3)"
        );
        assert_eq!(
            dollar_placeholders("SELECT '?', \"a?\" -- ?\n, ? /* ? */ , ?3"),
            "SELECT '?', \"a?\" -- ?\n, $1 /* ? */ , $3"
        );
        assert_eq!(
            dollar_placeholders("SELECT 'it''s ?', ?"),
            "SELECT 'it''s ?', $1"
        );
        assert!(matches!(dollar_placeholders("SELECT 1"), Cow::Borrowed(_)));
    }

    #[test]
    fn times_are_written_as_the_sqlite_file_holds_them_and_read_back() {
        let at = Utc.with_ymd_and_hms(2026, 3, 14, 9, 30, 5).unwrap()
            + chrono::Duration::milliseconds(250);
        let value = at.to_value();
        assert_eq!(
            value,
            Value::Text("2026-03-14 09:30:05.250+00:00".to_owned())
        );
        assert_eq!(DateTime::<Utc>::from_value(&value, "t").unwrap(), at);
        let date = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
        assert_eq!(date.to_value(), Value::Text("2026-01-02".to_owned()));
        let rfc3339 = Value::Text("2026-03-14T09:30:05.250Z".to_owned());
        assert_eq!(DateTime::<Utc>::from_value(&rfc3339, "t").unwrap(), at);
        let wrong = DateTime::<Utc>::from_value(&Value::Text("soon".to_owned()), "signed_at");
        assert_eq!(
            wrong.unwrap_err().to_string(),
            "signed_at holds \"soon\", not a moment in time"
        );
    }

    use chrono::TimeZone as _;

    #[test]
    fn the_postgres_schema_is_the_twin_of_the_current_sqlite_one() {
        assert_eq!(
            POSTGRES_SCHEMA_VERSION,
            crate::store::Store::schema_version(),
            "a SQLite migration was added without its twin in schema_pg.sql"
        );
    }

    #[test]
    fn integers_out_of_range_are_damaged_data_not_a_wrap() {
        let err = u8::from_value(&Value::Integer(300), "depth").unwrap_err();
        assert_eq!(err.to_string(), "depth holds 300, out of range");
        assert!(bool::from_value(&Value::Integer(2), "signed").is_err());
    }
}
