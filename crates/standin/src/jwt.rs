//! HS256 tokens, signed with the secret PostgREST checks (SUPABASE.md, "Access-token claims").

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::distr::{Alphanumeric, SampleString};
use serde_json::{json, Value};

#[derive(Clone)]
pub struct Keys {
    pub secret: String,
    pub anon_key: String,
    pub service_role_key: String,
}

impl Keys {
    pub fn generate() -> Keys {
        let secret = Alphanumeric.sample_string(&mut rand::rng(), 48);
        let now = chrono::Utc::now().timestamp();
        let api_key = |role: &str| {
            sign(
                &secret,
                &json!({"iss": "supabase", "ref": "standin", "role": role, "iat": now, "exp": now + 10 * 365 * 86_400}),
            )
        };
        Keys { anon_key: api_key("anon"), service_role_key: api_key("service_role"), secret }
    }

    /// The claims of a token this stand-in signed and that has not expired.
    pub fn verify(&self, token: &str) -> Result<Value, jsonwebtoken::errors::Error> {
        let mut v = Validation::new(Algorithm::HS256);
        v.validate_aud = false;
        v.leeway = 0;
        v.required_spec_claims.clear();
        v.required_spec_claims.insert("exp".into());
        decode::<Value>(token, &DecodingKey::from_secret(self.secret.as_bytes()), &v).map(|d| d.claims)
    }

    pub fn sign(&self, claims: &Value) -> String {
        sign(&self.secret, claims)
    }
}

fn sign(secret: &str, claims: &Value) -> String {
    // Encoding a JSON object with a static key cannot fail.
    encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret.as_bytes())).unwrap_or_default()
}
