//! A small clinic for the treatment-record tests: a practitioner, a screened
//! and consenting client, and a session draft that raises no warning.

use chrono::{Duration, NaiveDate};
use pinpoint_core::client::{self, ClientInput};
use pinpoint_core::consent::{self, ConsentKind};
use pinpoint_core::db::Db;
use pinpoint_core::ids::{ClientId, ConsentId, PractitionerId, ScreeningId, SessionId};
use pinpoint_core::screening::{self, ScreeningAnswer};
use pinpoint_core::session::{self, SessionDraft, TreatmentSession, ZoneInput};
use pinpoint_core::settings::{self, ClinicSettings};
use pinpoint_core::warnings::WarningOverride;
use pinpoint_core::{practitioner, Result};

use crate::{fresh, now, today, Folder};

pub struct Clinic {
    pub f: Folder,
    pub practitioner: PractitionerId,
    pub client: ClientId,
}

pub fn days_before(days: i64) -> NaiveDate {
    today() - Duration::days(days)
}

/// `HH:MM` on `date` in the clinic's time zone (UTC+1).
pub fn at(date: NaiveDate, time: &str) -> String {
    format!("{date}T{time}:00+01:00")
}

/// A clinic whose one client was screened (all "no") and consented to
/// treatment 90 days ago.
pub fn clinic() -> Clinic {
    let mut f = fresh();
    let practitioner = f
        .store
        .write(|tx| {
            practitioner::create(
                tx,
                PractitionerId::new(),
                "Maya Lewis",
                "RN, Aesthetic Nurse",
                now(),
            )
        })
        .unwrap()
        .id;
    let mut c = Clinic {
        f,
        practitioner,
        client: ClientId::new(),
    };
    c.client = c.add_client("Olivia Bennett");
    c
}

impl Clinic {
    pub fn db(&self) -> Db<'_> {
        self.f.store.db()
    }

    pub fn settings(&self) -> ClinicSettings {
        settings::get(self.db()).unwrap()
    }

    /// A client screened (all "no") and consenting 90 days ago.
    pub fn add_client(&mut self, name: &str) -> ClientId {
        let input = ClientInput {
            name: name.to_owned(),
            phone: Some("+44 7700 900123".to_owned()),
            ..ClientInput::default()
        };
        let settings = self.settings();
        self.f
            .store
            .write(|tx| {
                let c = client::create(tx, ClientId::new(), &input, today(), now())?;
                screening::add(
                    tx,
                    ScreeningId::new(),
                    &screening::NewScreening {
                        client_id: c.id,
                        taken_on: days_before(90),
                        answers: [].to_vec(),
                    },
                    &settings,
                    today(),
                    now(),
                )?;
                consent::add(
                    tx,
                    ConsentId::new(),
                    &consent::NewConsent {
                        client_id: c.id,
                        kind: ConsentKind::Treatment,
                        given_on: days_before(90),
                        signature: "M 1 1 L 20 20".to_owned(),
                    },
                    "2026-1",
                    today(),
                    now(),
                )?;
                Ok(c.id)
            })
            .unwrap()
    }

    /// A client with no screening and no consent on record.
    pub fn add_bare_client(&mut self, name: &str) -> ClientId {
        let input = ClientInput {
            name: name.to_owned(),
            ..ClientInput::default()
        };
        self.f
            .store
            .write(|tx| client::create(tx, ClientId::new(), &input, today(), now()))
            .unwrap()
            .id
    }

    /// Screens the client again today with the given answers.
    pub fn screen(&mut self, client: ClientId, answers: &[ScreeningAnswer]) {
        let settings = self.settings();
        self.f
            .store
            .write(|tx| {
                screening::add(
                    tx,
                    ScreeningId::new(),
                    &screening::NewScreening {
                        client_id: client,
                        taken_on: today(),
                        answers: answers.to_vec(),
                    },
                    &settings,
                    today(),
                    now(),
                )
            })
            .unwrap();
    }

    /// Cheeks at 1 mm, three passes, today at 09:00: raises no warning.
    pub fn draft(&self) -> SessionDraft {
        self.draft_for(self.client, today())
    }

    pub fn draft_for(&self, client: ClientId, date: NaiveDate) -> SessionDraft {
        SessionDraft {
            client_id: client,
            practitioner_id: self.practitioner,
            started_at: at(date, "09:00"),
            plan_id: None,
            device_id: None,
            cartridge: None,
            anaesthetic: None,
            zones: vec![ZoneInput {
                zone: "cheeks".to_owned(),
                depth_mm: 1.0,
                passes: 3,
                technique: "vertical stamping".to_owned(),
            }],
            products: Vec::new(),
            endpoint: None,
            pain: None,
            immediate_reaction: String::new(),
            adverse_events: String::new(),
            aftercare: String::new(),
            notes: String::new(),
        }
    }

    pub fn try_create(
        &mut self,
        draft: &SessionDraft,
        overrides: &[WarningOverride],
    ) -> Result<TreatmentSession> {
        self.f
            .store
            .write(|tx| session::create(tx, SessionId::new(), draft, overrides, now()))
    }

    pub fn create(&mut self, draft: &SessionDraft) -> TreatmentSession {
        self.try_create(draft, &[])
            .expect("a session with no warnings")
    }

    /// How many rows each table holds, to show that a refusal wrote nothing.
    pub fn counts(&self) -> Vec<(&'static str, i64)> {
        [
            "treatment_session",
            "session_zone",
            "session_product",
            "session_warning",
            "session_amendment",
            "product",
            "lot",
            "screening",
            "consent",
            "treatment_plan",
            "device",
            "clinic_setting",
            "audit_event",
        ]
        .into_iter()
        .map(|table| {
            let n = self
                .db()
                .query_one(
                    &format!("SELECT count(*) FROM {table}"),
                    &[],
                    table,
                    |row| row.get(0),
                )
                .unwrap();
            (table, n)
        })
        .collect()
    }
}
