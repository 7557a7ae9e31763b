//! The links sent by e-mail (confirm a subscription, unsubscribe, confirm an objection) carry a
//! signed token: what it is for, the record it names and until when it holds, with an
//! HMAC-SHA256 over them. The key is made once and kept in the database, so a link works on every
//! instance and after a restart, whatever else is configured.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::date::now;
use crate::db::schema::link_keys;
use crate::db::{DbConnection, DbError};

/// What a link does; a token made for one purpose is refused for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "snake_case")]
pub enum Purpose {
    ConfirmSubscription,
    Unsubscribe,
    ConfirmObjection,
}

/// Why a link's token is refused: the page says which.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("the link is not one this site made (it may have been cut short when copied)")]
    Invalid,
    #[error("the link expired on {0}; ask for a new one")]
    Expired(NaiveDateTime),
}

/// The signing key.
#[derive(Clone)]
pub struct LinkKey(Vec<u8>);

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(..)")
    }
}

/// The key, made on first use (the first one made wins if two instances race).
pub fn key(conn: &mut DbConnection) -> Result<LinkKey, DbError> {
    let first = |conn: &mut DbConnection| -> Result<Option<String>, DbError> {
        Ok(link_keys::table
            .order(link_keys::id)
            .select(link_keys::secret)
            .first(conn)
            .optional()?)
    };
    let secret = match first(conn)? {
        Some(secret) => secret,
        None => {
            diesel::insert_into(link_keys::table)
                .values((
                    link_keys::secret.eq(URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())),
                    link_keys::created_at.eq(now()),
                ))
                .execute(conn)?;
            first(conn)?.ok_or_else(|| DbError::Corrupt("link_keys: no key after insert".into()))?
        }
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(secret.as_bytes())
        .map_err(|e| DbError::Corrupt(format!("link_keys.secret: {e}")))?;
    Ok(LinkKey(bytes))
}

impl LinkKey {
    /// A token for `purpose` naming record `id`, valid until `expires` (`None`: always).
    pub fn sign(&self, purpose: Purpose, id: i32, expires: Option<NaiveDateTime>) -> String {
        let body = format!(
            "{}.{id}.{}",
            <&str>::from(purpose),
            expires.map_or(0, |e| e.and_utc().timestamp())
        );
        let mac = self.mac(&body);
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(body),
            URL_SAFE_NO_PAD.encode(mac)
        )
    }

    /// The record a token for `purpose` names, if it is genuine and still holds.
    pub fn verify(&self, token: &str, purpose: Purpose) -> Result<i32, LinkError> {
        let (body, mac) = token.trim().split_once('.').ok_or(LinkError::Invalid)?;
        let body = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| LinkError::Invalid)?;
        let mac = URL_SAFE_NO_PAD
            .decode(mac)
            .map_err(|_| LinkError::Invalid)?;
        let mut check = Hmac::<Sha256>::new_from_slice(&self.0).map_err(|_| LinkError::Invalid)?;
        check.update(&body);
        check.verify_slice(&mac).map_err(|_| LinkError::Invalid)?;
        let body = String::from_utf8(body).map_err(|_| LinkError::Invalid)?;
        let mut parts = body.split('.');
        let (Some(what), Some(id), Some(expires), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(LinkError::Invalid);
        };
        if what != <&str>::from(purpose) {
            return Err(LinkError::Invalid);
        }
        let id: i32 = id.parse().map_err(|_| LinkError::Invalid)?;
        let expires: i64 = expires.parse().map_err(|_| LinkError::Invalid)?;
        if expires != 0 {
            let until = chrono::DateTime::from_timestamp(expires, 0)
                .ok_or(LinkError::Invalid)?
                .naive_utc();
            if until < now() {
                return Err(LinkError::Expired(until));
            }
        }
        Ok(id)
    }

    fn mac(&self, body: &str) -> Vec<u8> {
        // HMAC takes a key of any length; the error cannot happen.
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC accepts any key");
        mac.update(body.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn key() -> LinkKey {
        LinkKey(b"0123456789abcdef0123456789abcdef".to_vec())
    }

    #[test]
    fn a_token_names_its_record_for_its_purpose_only() {
        let token = key().sign(Purpose::Unsubscribe, 42, None);
        assert_eq!(key().verify(&token, Purpose::Unsubscribe), Ok(42));
        assert_eq!(
            key().verify(&token, Purpose::ConfirmSubscription),
            Err(LinkError::Invalid)
        );
        let other = LinkKey(b"another key, another site........".to_vec());
        assert_eq!(
            other.verify(&token, Purpose::Unsubscribe),
            Err(LinkError::Invalid)
        );
    }

    #[test]
    fn a_changed_or_cut_token_is_refused() {
        let token = key().sign(Purpose::ConfirmSubscription, 7, None);
        let forged = key().sign(Purpose::ConfirmSubscription, 8, None);
        let (body, _) = forged.split_once('.').unwrap();
        let (_, mac) = token.split_once('.').unwrap();
        for bad in [
            format!("{body}.{mac}"),
            token[..token.len() - 3].to_string(),
            String::new(),
            "not a token".into(),
        ] {
            assert_eq!(
                key().verify(&bad, Purpose::ConfirmSubscription),
                Err(LinkError::Invalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_expired_token_says_when_it_expired() {
        let past = (now() - Duration::hours(1)).and_utc().timestamp();
        let past = chrono::DateTime::from_timestamp(past, 0)
            .unwrap()
            .naive_utc();
        let token = key().sign(Purpose::ConfirmObjection, 3, Some(past));
        assert_eq!(
            key().verify(&token, Purpose::ConfirmObjection),
            Err(LinkError::Expired(past))
        );
        let later = now() + Duration::days(1);
        let token = key().sign(Purpose::ConfirmObjection, 3, Some(later));
        assert_eq!(key().verify(&token, Purpose::ConfirmObjection), Ok(3));
    }
}
