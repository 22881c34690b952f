//! Who is at the keyboard of this window: nobody yet (the clinic's first
//! start, or signed out), a signed-in account, or that account behind the
//! lock screen. Every command asks for its context here, so a locked or
//! signed-out window reads and writes nothing.

use pinpoint_core::action::Actor;
use pinpoint_core::Error;

/// The window's state of sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presence {
    /// Nobody is signed in.
    SignedOut,
    /// `Actor` is working.
    Active(Actor),
    /// `Actor` locked the window (or it locked itself when idle); their
    /// PIN resumes it, anyone's passphrase takes over.
    Locked(Actor),
}

impl Presence {
    /// The actor a command runs as, or why none may run.
    pub fn actor(&self) -> Result<Actor, Error> {
        match self {
            Presence::Active(actor) => Ok(actor.clone()),
            Presence::Locked(_) => Err(Error::Locked(
                "the window is locked; resume with your PIN".to_owned(),
            )),
            Presence::SignedOut => Err(Error::Forbidden(
                "nobody is signed in; sign in first".to_owned(),
            )),
        }
    }

    /// Whether `actor` is the one at this window, working or behind the
    /// lock (what keeps a capture they opened going).
    pub fn holds(&self, actor: &Actor) -> bool {
        match self {
            Presence::Active(a) | Presence::Locked(a) => a == actor,
            Presence::SignedOut => false,
        }
    }
}
