/// A new time-ordered id (UUIDv7), lowercase and hyphenated.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The canonical form of a client-supplied id, or None if it is not a UUID.
pub fn normalize(id: &str) -> Option<String> {
    uuid::Uuid::parse_str(id.trim()).ok().map(|u| u.to_string())
}
