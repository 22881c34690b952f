//! `text_enum!`: how a fieldless enum is written as text, in the database
//! and on the command line, declared once per enum.
//!
//! For each variant the macro takes its text and any aliases a person may
//! type, and gives the enum `ALL` (the variants in order), `as_str`, and
//! `parse`, which folds case, `-` and spaces and refuses anything else with
//! an `Invalid` error that names the field and lists the choices. A value
//! read back from the database goes through `from_stored`: there anything
//! unknown means the row is damaged, never a quiet default.

/// See the module documentation.
macro_rules! text_enum {
    (
        $name:ident, field $field:literal, called $called:literal {
            $($variant:ident = $text:literal $(| $alias:literal)*),+ $(,)?
        }
    ) => {
        impl $name {
            /// Every variant, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The variant as stored and printed.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The variant a person typed: its text or an alias, in any
            /// case, with `-` or spaces for `_`.
            pub fn parse(text: &str) -> $crate::Result<Self> {
                let wanted = text.trim().to_lowercase().replace(['-', ' '], "_");
                match wanted.as_str() {
                    $($text $(| $alias)* => Ok($name::$variant),)+
                    _ => Err($crate::Error::invalid(
                        $field,
                        format!(
                            "{} {text:?} should be one of {}",
                            $called,
                            Self::ALL
                                .iter()
                                .map(|v| v.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )),
                }
            }

            /// A value read from the database: only the stored text itself
            /// is accepted, anything else is a damaged row.
            #[allow(dead_code)]
            pub(crate) fn from_stored(text: &str) -> $crate::Result<Self> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == text)
                    .ok_or_else(|| {
                        $crate::Error::Damaged(format!(
                            "the stored {} {text:?} is not one Pinpoint knows",
                            $called
                        ))
                    })
            }
        }

        impl $name {
            /// [`Self::from_stored`] inside a row-mapping closure, the
            /// damage named after `record` ("session 0190…").
            #[allow(dead_code)]
            pub(crate) fn from_row(text: &str, record: impl std::fmt::Display) -> rusqlite::Result<Self> {
                Self::from_stored(text).map_err(|e| e.in_record(record).into_row())
            }

            /// [`Self::from_stored`] with the damage named after `record`
            /// ("session 0190…").
            #[allow(dead_code)]
            pub(crate) fn from_record(text: &str, record: impl std::fmt::Display) -> $crate::Result<Self> {
                Self::from_stored(text).map_err(|e| e.in_record(record))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Phase {
        Before,
        After,
    }

    text_enum! {
        Phase, field "products", called "product phase" {
            Before = "before" | "pre",
            After = "after" | "post",
        }
    }

    #[test]
    fn text_round_trips_and_aliases_and_case_are_accepted() {
        for &phase in Phase::ALL {
            assert_eq!(Phase::parse(phase.as_str()).unwrap(), phase);
            assert_eq!(Phase::from_stored(phase.as_str()).unwrap(), phase);
        }
        assert_eq!(Phase::parse(" PRE ").unwrap(), Phase::Before);
        assert_eq!(Phase::After.to_string(), "after");
    }

    #[test]
    fn anything_else_is_refused_and_named() {
        let typed = Phase::parse("during").unwrap_err();
        assert_eq!(typed.field(), Some("products"));
        assert_eq!(
            typed.to_string(),
            "product phase \"during\" should be one of before, after"
        );
        let stored = Phase::from_stored("pre").unwrap_err();
        assert_eq!(
            stored.kind(),
            crate::ErrorKind::Damaged,
            "an alias is for people, a stored value must be exact"
        );
    }
}
