//! API keys: 256-bit random tokens shown once; only their SHA-256 is stored.

use pimento_core::auth::KeyKind;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A freshly minted key.
pub struct NewKey {
    /// The whole token, to show the user once (`sk_…`).
    pub token: String,
    /// The public part kept for display and audit (`sk_1a2b3c4d`).
    pub prefix: String,
    /// SHA-256 of the token, the only secret-derived value stored.
    pub hash: Vec<u8>,
}

/// Mints a key of the given kind.
pub fn generate(kind: KeyKind) -> NewKey {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("{}{}", kind.prefix(), hex::encode(bytes));
    NewKey {
        prefix: token[..11].to_owned(),
        hash: hash(&token),
        token,
    }
}

/// The stored hash of a token.
pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}
