//! Clients of the clinic: identity, contact, skin type, and finding them fast.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::db::{Db, Engine, Row, ToValue};
use crate::ids::ClientId;
use crate::store::{format_instant, read_instant};
use crate::{Error, Result};

const ROMAN: [&str; 6] = ["I", "II", "III", "IV", "V", "VI"];

/// A type on a small clinical scale written in roman numerals (1 to
/// `$max`), stored and shown to machines as a number.
macro_rules! roman_scale {
    ($(#[$doc:meta])* $name:ident, field $field:literal, called $called:literal, max $max:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(try_from = "u8", into = "u8")]
        pub struct $name(u8);

        impl $name {
            pub fn new(value: u8) -> Result<Self> {
                if (1..=$max).contains(&value) {
                    Ok($name(value))
                } else {
                    Err(Error::invalid(
                        $field,
                        format!(
                            "{} {value} is out of range; use 1 to {} (I to {})",
                            $called,
                            $max,
                            ROMAN[$max - 1]
                        ),
                    ))
                }
            }

            /// The type as typed: its number or its roman numeral.
            pub fn parse(text: &str) -> Result<Self> {
                let text = text.trim();
                if let Some(i) = ROMAN[..$max]
                    .iter()
                    .position(|r| r.eq_ignore_ascii_case(text))
                {
                    return $name::new(i as u8 + 1);
                }
                let value = text.parse::<u8>().map_err(|_| {
                    Error::invalid(
                        $field,
                        format!(
                            "{} {text:?} is not a number from 1 to {} (or I to {})",
                            $called,
                            $max,
                            ROMAN[$max - 1]
                        ),
                    )
                })?;
                $name::new(value)
            }

            pub fn value(self) -> u8 {
                self.0
            }

            /// The type as a roman numeral, as practitioners write it.
            pub fn roman(self) -> &'static str {
                ROMAN[usize::from(self.0 - 1)]
            }
        }

        impl TryFrom<u8> for $name {
            type Error = Error;
            fn try_from(value: u8) -> Result<Self> {
                $name::new(value)
            }
        }

        impl From<$name> for u8 {
            fn from(value: $name) -> u8 {
                value.0
            }
        }
    };
}

roman_scale!(
    /// Fitzpatrick skin phototype, I to VI; stored and shown to machines as 1–6.
    Fitzpatrick, field "fitzpatrick", called "fitzpatrick type", max 6
);

roman_scale!(
    /// Glogau photoageing type, I (no wrinkles) to IV (wrinkles only); 1–4.
    Glogau, field "glogau", called "glogau type", max 4
);

/// Why the client seeks treatment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Indication {
    AcneScars,
    FineLines,
    Texture,
    Pigmentation,
    StretchMarks,
    Other,
}

/// A client as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Client {
    pub id: ClientId,
    pub name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub fitzpatrick: Option<Fitzpatrick>,
    pub glogau: Option<Glogau>,
    pub indications: Vec<Indication>,
    /// Shown prominently wherever the client appears (allergies, needle
    /// phobia, …).
    pub alerts: String,
    pub notes: String,
    pub archived: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a person types to create or edit a client, before it is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientInput {
    pub name: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// 1 to 6.
    pub fitzpatrick: Option<u8>,
    /// 1 to 4.
    #[serde(default)]
    pub glogau: Option<u8>,
    #[serde(default)]
    pub indications: Vec<Indication>,
    #[serde(default)]
    pub alerts: String,
    pub notes: String,
}

/// A [`ClientInput`] that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CheckedClient {
    name: String,
    date_of_birth: Option<NaiveDate>,
    phone: Option<String>,
    email: Option<String>,
    fitzpatrick: Option<Fitzpatrick>,
    glogau: Option<Glogau>,
    indications: Vec<Indication>,
    alerts: String,
    notes: String,
}

/// The limits of a client's record, as the form shows and enforces them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientLimits {
    pub name_max_chars: usize,
    pub notes_max_chars: usize,
    pub alerts_max_chars: usize,
    pub phone_min_digits: usize,
    pub phone_max_digits: usize,
    /// `YYYY-MM-DD`: no date of birth before it.
    pub earliest_birth_date: &'static str,
}

/// The one set of limits the core checks and the window shows.
pub const CLIENT_LIMITS: ClientLimits = ClientLimits {
    name_max_chars: 200,
    notes_max_chars: 10_000,
    alerts_max_chars: 1_000,
    phone_min_digits: 5,
    phone_max_digits: 20,
    earliest_birth_date: "1900-01-01",
};

/// One field's problem, for a form that shows every problem at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Parses a calendar date typed as `YYYY-MM-DD`.
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Error::invalid(
            field,
            format!("{text:?} is not a date; write it as YYYY-MM-DD"),
        )
    })
}

fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

impl ClientInput {
    /// Checks every field without storing anything; `today` is the clinic's
    /// local date.
    pub fn validate(&self, today: NaiveDate) -> Result<()> {
        self.check(today).map(|_| ())
    }

    /// Every field's problem at once, in the form's order (the window checks
    /// as the person types); empty when the client can be saved. The same
    /// checks and words as [`ClientInput::validate`].
    pub fn field_errors(&self, today: NaiveDate) -> Vec<FieldError> {
        let results = [
            self.name().map(drop),
            self.date_of_birth(today).map(drop),
            self.phone().map(drop),
            self.email().map(drop),
            self.fitzpatrick.map(Fitzpatrick::new).transpose().map(drop),
            self.glogau.map(Glogau::new).transpose().map(drop),
            self.alerts().map(drop),
            self.notes().map(drop),
        ];
        results
            .into_iter()
            .filter_map(Result::err)
            .map(|e| FieldError {
                field: e.field().unwrap_or_default().to_owned(),
                message: e.to_string(),
            })
            .collect()
    }

    /// Checks every field; `today` is the clinic's local date.
    fn check(&self, today: NaiveDate) -> Result<CheckedClient> {
        let name = self.name()?;
        let date_of_birth = self.date_of_birth(today)?;
        let phone = self.phone()?;
        let email = self.email()?;
        let fitzpatrick = self.fitzpatrick.map(Fitzpatrick::new).transpose()?;
        let glogau = self.glogau.map(Glogau::new).transpose()?;
        let mut indications = self.indications.clone();
        indications.sort_unstable();
        indications.dedup();
        Ok(CheckedClient {
            name,
            date_of_birth,
            phone,
            email,
            fitzpatrick,
            glogau,
            indications,
            alerts: self.alerts()?,
            notes: self.notes()?,
        })
    }

    fn name(&self) -> Result<String> {
        reject_control_characters("name", &self.name, false)?;
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        let max = CLIENT_LIMITS.name_max_chars;
        if name.is_empty() {
            return Err(Error::invalid("name", "the client's name is empty"));
        }
        if name.chars().count() > max {
            return Err(Error::invalid(
                "name",
                format!("the name is longer than {max} characters"),
            ));
        }
        Ok(name)
    }

    fn date_of_birth(&self, today: NaiveDate) -> Result<Option<NaiveDate>> {
        let Some(text) = non_empty(self.date_of_birth.as_deref()) else {
            return Ok(None);
        };
        let date = parse_date("date_of_birth", &text)?;
        let earliest = parse_date("date_of_birth", CLIENT_LIMITS.earliest_birth_date)?;
        if date > today {
            return Err(Error::invalid(
                "date_of_birth",
                format!("date of birth {date} is in the future"),
            ));
        }
        if date < earliest {
            return Err(Error::invalid(
                "date_of_birth",
                format!("date of birth {date} is before {}", earliest.year()),
            ));
        }
        Ok(Some(date))
    }

    fn phone(&self) -> Result<Option<String>> {
        let Some(phone) = non_empty(self.phone.as_deref()) else {
            return Ok(None);
        };
        let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c);
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let (min, max) = (
            CLIENT_LIMITS.phone_min_digits,
            CLIENT_LIMITS.phone_max_digits,
        );
        if !phone.chars().all(allowed) || !(min..=max).contains(&digits) {
            return Err(Error::invalid(
                "phone",
                format!(
                    "phone number {phone:?} should have {min} to {max} digits (spaces, + - ( ) . allowed)"
                ),
            ));
        }
        Ok(Some(phone))
    }

    fn email(&self) -> Result<Option<String>> {
        reject_control_characters("email", self.email.as_deref().unwrap_or(""), false)?;
        let Some(email) = non_empty(self.email.as_deref()) else {
            return Ok(None);
        };
        if !looks_like_email(&email) {
            return Err(Error::invalid(
                "email",
                format!("email address {email:?} should look like name@example.com"),
            ));
        }
        Ok(Some(email))
    }

    fn alerts(&self) -> Result<String> {
        free_text("alerts", &self.alerts, CLIENT_LIMITS.alerts_max_chars)
    }

    fn notes(&self) -> Result<String> {
        free_text("notes", &self.notes, CLIENT_LIMITS.notes_max_chars)
    }
}

/// A multi-line text field, trimmed, at most `max` characters.
fn free_text(field: &str, text: &str, max: usize) -> Result<String> {
    reject_control_characters(field, text, true)?;
    let text = text.trim().to_owned();
    if text.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("{field} are longer than {max} characters"),
        ));
    }
    Ok(text)
}

/// Refuses invisible control characters (a NUL would end the text early in
/// SQLite); line breaks and tabs are fine where `multiline`.
fn reject_control_characters(field: &str, text: &str, multiline: bool) -> Result<()> {
    let bad = text
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')));
    if bad {
        return Err(Error::invalid(
            field,
            format!(
                "the {} contains invisible control characters",
                field.replace('_', " ")
            ),
        ));
    }
    Ok(())
}

fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !email.chars().any(char::is_whitespace)
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
}

const COLUMNS: &str = "id, name, date_of_birth, phone, email, fitzpatrick, notes, archived, \
                       created_at, updated_at, glogau, indications, alerts";

fn from_row(row: &Row) -> Result<Client> {
    let fitzpatrick: Option<u8> = row.get(5)?;
    Ok(Client {
        id: row.get(0)?,
        name: row.get(1)?,
        date_of_birth: row.get(2)?,
        phone: row.get(3)?,
        email: row.get(4)?,
        fitzpatrick: fitzpatrick.and_then(|v| Fitzpatrick::new(v).ok()),
        notes: row.get(6)?,
        archived: row.get(7)?,
        created_at: read_instant(&row.get::<String>(8)?)?,
        updated_at: read_instant(&row.get::<String>(9)?)?,
        glogau: row.get::<Option<u8>>(10)?.and_then(|v| Glogau::new(v).ok()),
        indications: serde_json::from_str(&row.get::<String>(11)?).unwrap_or_default(),
        alerts: row.get(12)?,
    })
}

/// Creates a client; `today` is the clinic's local date, `now` the instant.
pub fn create<'c>(
    tx: impl Into<Db<'c>>,
    id: ClientId,
    input: &ClientInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Client> {
    let tx = tx.into();
    let c = input.check(today)?;
    write_row(
        tx,
        "INSERT INTO client (id, name, date_of_birth, phone, email, fitzpatrick, notes, archived,
                             created_at, updated_at, glogau, indications, alerts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?8, ?9, ?10, ?11)",
        id,
        &c,
        now,
    )?;
    audit::record(
        tx,
        now,
        "create",
        "client",
        &id.to_string(),
        &serde_json::json!({}),
    )?;
    get(tx, id)
}

/// Runs `sql` (an INSERT or UPDATE of the `client` row) with the checked
/// values as ?1 … ?11 (id, name, date of birth, phone, email, Fitzpatrick,
/// notes, now, Glogau, indications, alerts).
fn write_row(
    tx: Db<'_>,
    sql: &str,
    id: ClientId,
    c: &CheckedClient,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        sql,
        &[
            &id,
            &c.name,
            &c.date_of_birth,
            &c.phone,
            &c.email,
            &c.fitzpatrick.map(Fitzpatrick::value),
            &c.notes,
            &format_instant(now),
            &c.glogau.map(Glogau::value),
            &serde_json::to_string(&c.indications).expect("indications serialise"),
            &c.alerts,
        ],
    )?;
    Ok(())
}

/// Replaces a client's details with `input`.
pub fn update<'c>(
    tx: impl Into<Db<'c>>,
    id: ClientId,
    input: &ClientInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Client> {
    let tx = tx.into();
    let before = get(tx, id)?;
    let c = input.check(today)?;
    write_row(
        tx,
        "UPDATE client SET name = ?2, date_of_birth = ?3, phone = ?4, email = ?5,
                fitzpatrick = ?6, notes = ?7, updated_at = ?8, glogau = ?9, indications = ?10,
                alerts = ?11
         WHERE id = ?1",
        id,
        &c,
        now,
    )?;
    let after = get(tx, id)?;
    let changed: Vec<&str> = [
        ("name", before.name != after.name),
        ("date_of_birth", before.date_of_birth != after.date_of_birth),
        ("phone", before.phone != after.phone),
        ("email", before.email != after.email),
        ("fitzpatrick", before.fitzpatrick != after.fitzpatrick),
        ("glogau", before.glogau != after.glogau),
        ("indications", before.indications != after.indications),
        ("alerts", before.alerts != after.alerts),
        ("notes", before.notes != after.notes),
    ]
    .into_iter()
    .filter_map(|(field, differs)| differs.then_some(field))
    .collect();
    audit::record(
        tx,
        now,
        "update",
        "client",
        &id.to_string(),
        &serde_json::json!({ "changed": changed }),
    )?;
    Ok(after)
}

/// Archives a client (hidden from the default list, nothing deleted) or
/// brings them back.
pub fn set_archived<'c>(
    tx: impl Into<Db<'c>>,
    id: ClientId,
    archived: bool,
    now: DateTime<Utc>,
) -> Result<Client> {
    let tx = tx.into();
    let before = get(tx, id)?;
    if before.archived == archived {
        return Ok(before);
    }
    tx.execute(
        "UPDATE client SET archived = ?2, updated_at = ?3 WHERE id = ?1",
        &[&id, &archived, &format_instant(now)],
    )?;
    let action = if archived { "archive" } else { "unarchive" };
    audit::record(
        tx,
        now,
        action,
        "client",
        &id.to_string(),
        &serde_json::json!({}),
    )?;
    get(tx, id)
}

/// One client by id.
pub fn get<'c>(conn: impl Into<Db<'c>>, id: ClientId) -> Result<Client> {
    conn.into().query_one(
        &format!("SELECT {COLUMNS} FROM client WHERE id = ?1"),
        &[&id],
        &format!("client {id}"),
        from_row,
    )
}

/// How many clients are stored, archived ones included.
pub fn count<'c>(conn: impl Into<Db<'c>>) -> Result<u64> {
    conn.into().query_one(
        "SELECT count(*) FROM client",
        &[],
        "the client count",
        |row| row.get(0),
    )
}

/// What to look for in the client list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientQuery {
    /// Words typed in the search box: each must occur in the name, the phone
    /// number (digits only) or the email; a `YYYY-MM-DD` word matches the
    /// date of birth.
    pub search: Option<String>,
    pub include_archived: bool,
    pub limit: Option<u32>,
}

/// The phone as the search sees it: only its digits, stripped as the
/// triggers that fill client_search strip it on either engine.
const PHONE_DIGITS: &str = "replace(replace(replace(replace(replace(replace(coalesce(phone, ''), \
     ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', '')";

/// Finds clients, best matches first (a word of the name starts with the
/// first search word), then alphabetical.
///
/// Each engine searches its own client_search, kept by triggers on client.
/// On SQLite a word of three characters or more is looked up in its FTS5
/// trigram table, a shorter one scanned for in client. On PostgreSQL every
/// word is a case- and accent-blind substring match over the table's folded
/// words, which a trigram index serves; the matches are ranked there and
/// only the first page is read from client (schema_pg.sql).
pub fn search<'c>(conn: impl Into<Db<'c>>, query: &ClientQuery) -> Result<Vec<Client>> {
    let conn = conn.into();
    let mut conditions: Vec<String> = Vec::new();
    let mut values: Vec<Box<dyn ToValue>> = Vec::new();
    let mut fts_terms: Vec<String> = Vec::new();
    // Control characters (a NUL ends an FTS5 string early) never belong in
    // a search; they are dropped.
    let cleaned: String = query
        .search
        .as_deref()
        .unwrap_or("")
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let text = cleaned.trim();
    for word in text.split_whitespace() {
        if let Ok(date) = NaiveDate::parse_from_str(word, "%Y-%m-%d") {
            values.push(Box::new(date));
            conditions.push(format!("date_of_birth = ?{}", values.len()));
            continue;
        }
        // A word of digits and phone punctuation searches the phone digits.
        let is_phone = word.chars().any(|c| c.is_ascii_digit())
            && word
                .chars()
                .all(|c| c.is_ascii_digit() || "+-().".contains(c));
        let term: String = if is_phone {
            word.chars().filter(char::is_ascii_digit).collect()
        } else {
            word.to_owned()
        };
        let pattern = || {
            format!(
                "%{}%",
                term.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            )
        };
        match conn.engine() {
            Engine::Sqlite if term.chars().count() >= 3 => {
                fts_terms.push(format!("\"{}\"", term.replace('"', "\"\"")));
            }
            // Too short for trigrams: a scan, which is fast for a clinic's
            // list. LIKE is case-blind on SQLite.
            Engine::Sqlite => {
                values.push(Box::new(pattern()));
                let n = values.len();
                // A stored phone holds only digits once stripped (its
                // validation allows digits and "+-(). "), so a term with
                // anything else cannot match there and is not looked for.
                let phone = if term.chars().all(|c| c.is_ascii_digit()) {
                    format!(" OR {PHONE_DIGITS} LIKE ?{n} ESCAPE '\\'")
                } else {
                    String::new()
                };
                conditions.push(format!(
                    "(name LIKE ?{n} ESCAPE '\\' OR email LIKE ?{n} ESCAPE '\\'{phone})"
                ));
            }
            // client_search's folded words (schema_pg.sql), which its trigram
            // index serves; the term folded alike, once, in a sub-select.
            Engine::Postgres if term.chars().count() >= 3 => {
                values.push(Box::new(pattern()));
                conditions.push(format!(
                    "words LIKE (SELECT search_fold(?{})) ESCAPE '\\'",
                    values.len()
                ));
            }
            // Too short for trigrams: the index would be read whole, so a
            // scan of the narrow rows, written so that it cannot use it.
            Engine::Postgres => {
                values.push(Box::new(term.clone()));
                conditions.push(format!(
                    "strpos(words, (SELECT search_fold(?{}))) > 0",
                    values.len()
                ));
            }
        }
    }
    if !fts_terms.is_empty() {
        values.push(Box::new(fts_terms.join(" AND ")));
        conditions.push(format!(
            "rowid IN (SELECT rowid FROM client_search WHERE client_search MATCH ?{})",
            values.len()
        ));
    }
    if !query.include_archived {
        conditions.push("archived = 0".to_owned());
    }
    let first_word = text.split_whitespace().next().unwrap_or("");
    values.push(Box::new(format!(
        "% {}%",
        first_word
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )));
    let prefix = values.len();
    values.push(Box::new(i64::from(query.limit.unwrap_or(500))));
    let limit = values.len();
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let sql = match conn.engine() {
        Engine::Sqlite => format!(
            "SELECT {COLUMNS} FROM client {filter}
             ORDER BY (' ' || name LIKE ?{prefix} ESCAPE '\\') DESC, name COLLATE NOCASE, id
             LIMIT ?{limit}"
        ),
        // The matches are found and ranked in client_search's narrow rows;
        // only the first page is read whole from client.
        Engine::Postgres => format!(
            "WITH hits AS (
                SELECT client_id,
                       ' ' || name_fold LIKE (SELECT search_fold(?{prefix})) ESCAPE '\\' AS starts,
                       name_key
                FROM client_search {filter}
                ORDER BY starts DESC, name_key, client_id
                LIMIT ?{limit})
             SELECT {COLUMNS} FROM hits JOIN client ON client.id = hits.client_id
             ORDER BY hits.starts DESC, hits.name_key, hits.client_id"
        ),
    };
    let params: Vec<&dyn ToValue> = values.iter().map(|v| v.as_ref()).collect();
    conn.query_map(&sql, &params, from_row)
}
