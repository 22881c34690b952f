//! Who may do what: the roles of a clinic's accounts, the permissions the
//! actions need, and the one matrix between them. Every action asks its
//! context (`Ctx::require`) before it reads or writes anything, so a
//! refusal is a `forbidden` error and nothing is written.

use std::fmt;

/// What an account is for in the clinic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the clinic's Pinpoint: accounts, settings, backups, and
    /// everything a practitioner does.
    Owner,
    /// Treats clients: the clinical record, photos, signing their sessions.
    Practitioner,
    /// Front desk: clients' identity and contact, consents, taking photos;
    /// no screening answers, clinical notes or before/after review.
    Assistant,
    /// Reads everything clinical and prints it (a supervising doctor);
    /// changes nothing.
    Reviewer,
}

text_enum! {
    Role, field "role", called "role" {
        Owner = "owner",
        Practitioner = "practitioner",
        Assistant = "assistant" | "front_desk",
        Reviewer = "reviewer",
    }
}

/// What an action needs to be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Find clients and read their identity and contact.
    ReadClients,
    /// Add, edit and archive clients.
    EditClients,
    /// Read screenings, plans, sessions, the timeline, scores, visits,
    /// adverse events and lot recalls.
    ReadClinical,
    /// Record and change screenings, plans, sessions, scores, visits and
    /// adverse events, and align photos.
    EditClinical,
    /// Sign sessions, which locks them.
    SignSessions,
    /// Co-sign sessions a clinic asks a second signature for.
    CoSign,
    /// Read, record and revoke consents.
    ManageConsents,
    /// See clinical photos and compare them.
    ViewPhotos,
    /// Import photos and tag them.
    CapturePhotos,
    /// Print the progress report, treatment notes and aftercare sheets.
    PrintDocuments,
    /// Export a whole record, de-identified photos or a photo's file.
    ExportRecords,
    /// Read the clinic's settings, practitioners, devices and products.
    ReadCatalogue,
    /// Add devices, products and lots.
    ManageCatalogue,
    /// Change the clinic's settings, or fill a demo clinic.
    ManageSettings,
    /// Add and change the people who use Pinpoint.
    ManageAccounts,
    /// Back up, and set the automatic backups.
    ManageBackups,
    /// Run the data check.
    CheckData,
    /// Read who viewed, changed, printed or exported a client's record, and
    /// each account's activity.
    ReadAudit,
    /// Erase a client's whole record (after its retention, or on request).
    EraseClients,
}

impl Permission {
    /// Every permission, in the order the matrix shows them.
    pub const ALL: [Permission; 19] = [
        Permission::ReadClients,
        Permission::EditClients,
        Permission::ReadClinical,
        Permission::EditClinical,
        Permission::SignSessions,
        Permission::CoSign,
        Permission::ManageConsents,
        Permission::ViewPhotos,
        Permission::CapturePhotos,
        Permission::PrintDocuments,
        Permission::ExportRecords,
        Permission::ReadCatalogue,
        Permission::ManageCatalogue,
        Permission::ManageSettings,
        Permission::ManageAccounts,
        Permission::ManageBackups,
        Permission::CheckData,
        Permission::ReadAudit,
        Permission::EraseClients,
    ];

    /// What the permission lets a person do, in words for a refusal.
    pub fn words(self) -> &'static str {
        match self {
            Permission::ReadClients => "look up clients",
            Permission::EditClients => "add or change clients",
            Permission::ReadClinical => {
                "read clinical records (screening answers, sessions, notes)"
            }
            Permission::EditClinical => "record or change clinical records",
            Permission::SignSessions => "sign sessions",
            Permission::CoSign => "co-sign other practitioners' sessions",
            Permission::ManageConsents => "read or record consents",
            Permission::ViewPhotos => "see clinical photos",
            Permission::CapturePhotos => "import or tag photos",
            Permission::PrintDocuments => "print reports, notes or aftercare sheets",
            Permission::ExportRecords => "export records or photos",
            Permission::ReadCatalogue => "read the clinic's catalogue and settings",
            Permission::ManageCatalogue => "add devices, products or lots",
            Permission::ManageSettings => "change the clinic's settings",
            Permission::ManageAccounts => "manage the people who use Pinpoint",
            Permission::ManageBackups => "back up or set the automatic backups",
            Permission::CheckData => "check the data",
            Permission::ReadAudit => "read who saw or changed a record",
            Permission::EraseClients => "erase a client's whole record",
        }
    }
}

impl Role {
    /// The matrix: whether this role has `permission`. Written once, here.
    pub fn allows(self, permission: Permission) -> bool {
        use Permission as P;
        match self {
            Role::Owner => true,
            Role::Practitioner => !matches!(
                permission,
                P::CoSign
                    | P::ManageSettings
                    | P::ManageAccounts
                    | P::ManageBackups
                    | P::ReadAudit
                    | P::EraseClients
            ),
            Role::Assistant => matches!(
                permission,
                P::ReadClients
                    | P::EditClients
                    | P::ManageConsents
                    | P::CapturePhotos
                    | P::ReadCatalogue
                    | P::CheckData
            ),
            Role::Reviewer => matches!(
                permission,
                P::ReadClients
                    | P::ReadClinical
                    | P::CoSign
                    | P::ViewPhotos
                    | P::PrintDocuments
                    | P::ReadCatalogue
                    | P::CheckData
                    | P::ReadAudit
            ),
        }
    }

    /// "an assistant", "the owner", for messages.
    fn named(self) -> &'static str {
        match self {
            Role::Owner => "the owner",
            Role::Practitioner => "a practitioner",
            Role::Assistant => "an assistant",
            Role::Reviewer => "a reviewer",
        }
    }
}

/// One line of the matrix as Settings shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MatrixRow {
    pub permission: Permission,
    /// What the permission lets a person do.
    pub what: String,
    pub owner: bool,
    pub practitioner: bool,
    pub assistant: bool,
    pub reviewer: bool,
}

/// The matrix for Settings: a line per permission.
pub fn matrix_rows() -> Vec<MatrixRow> {
    matrix()
        .into_iter()
        .map(
            |(permission, [owner, practitioner, assistant, reviewer])| MatrixRow {
                permission,
                what: permission.words().to_owned(),
                owner,
                practitioner,
                assistant,
                reviewer,
            },
        )
        .collect()
}

/// The matrix as a table (permission, then owner, practitioner, assistant,
/// reviewer), for Settings and the documentation.
pub fn matrix() -> Vec<(Permission, [bool; 4])> {
    let roles = [
        Role::Owner,
        Role::Practitioner,
        Role::Assistant,
        Role::Reviewer,
    ];
    Permission::ALL
        .iter()
        .map(|&p| (p, roles.map(|r| r.allows(p))))
        .collect()
}

/// The refusal when `role` lacks `permission`.
pub(crate) fn forbidden(role: Role, name: &str, permission: Permission) -> crate::Error {
    crate::Error::Forbidden(format!(
        "{name} signed in as {} may not {}",
        role.named(),
        permission.words()
    ))
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.words())
    }
}
