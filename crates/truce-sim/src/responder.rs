//! The three responders A reasons about (section 6), named once for the scenario, the model and
//! the belief columns.

use crate::record::Actor;

/// A responder: D, R or U. Arrays of per-responder values are indexed by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Responder {
    Defender = 0,
    Reassurance = 1,
    AirCover = 2,
}

/// The responders in the order used by arrays and belief columns.
pub const RESPONDERS: [Responder; 3] = [
    Responder::Defender,
    Responder::Reassurance,
    Responder::AirCover,
];

impl Responder {
    pub fn name(self) -> &'static str {
        match self {
            Responder::Defender => "defender",
            Responder::Reassurance => "reassurance",
            Responder::AirCover => "air_cover",
        }
    }

    /// Its actor in the trace.
    pub fn actor(self) -> Actor {
        match self {
            Responder::Defender => Actor::Defender,
            Responder::Reassurance => Actor::Reassurance,
            Responder::AirCover => Actor::AirCover,
        }
    }
}
