//! sslmode → a native-tls connector, with libpq's meaning of each mode: prefer
//! and require encrypt without verifying (unless a root certificate is given for
//! require), verify-ca checks the chain, verify-full the chain and host name.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use postgres_native_tls::{MakeTlsConnector, TlsConnector, TlsStream};
use tokio_postgres::Socket;
use tokio_postgres::tls::{MakeTlsConnect, TlsConnect};

use super::ConnError;
use super::params::{SslMode, SslSettings};

/// What protects a connection, as negotiated (not as configured: `prefer`
/// falls back to plain text when the server declines, and PostgreSQL never
/// speaks TLS over a Unix socket).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// No TLS session: sslmode=disable, a Unix socket, or a server that declined.
    Off,
    /// TLS with the server's certificate chain verified.
    Verified,
    /// TLS without verifying the certificate: encrypted, but the server is not authenticated.
    Unverified,
}

impl Tls {
    /// The warning the user needs about this connection, if any.
    pub fn note(self) -> Option<&'static str> {
        match self {
            Tls::Unverified => Some(
                "the server's certificate is not verified (TLS without a root certificate); use sslmode=verify-full with sslrootcert to authenticate it",
            ),
            Tls::Off | Tls::Verified => None,
        }
    }

    /// The state after a connection: whether a handshake happened, and whether
    /// the connector verified the chain.
    pub(super) fn negotiated(established: bool, verifies_chain: bool) -> Tls {
        match (established, verifies_chain) {
            (false, _) => Tls::Off,
            (true, true) => Tls::Verified,
            (true, false) => Tls::Unverified,
        }
    }
}

/// A native-tls connector that records whether the last connection attempt
/// completed a TLS handshake (tokio-postgres does not say). Clones share the record.
#[derive(Clone)]
pub(super) struct Recording {
    inner: MakeTlsConnector,
    established: Arc<AtomicBool>,
    /// Whether the connector verifies the server's certificate chain.
    pub verifies_chain: bool,
}

impl Recording {
    /// Whether the last attempt established a TLS session.
    pub fn established(&self) -> bool {
        self.established.load(Ordering::SeqCst)
    }
}

impl MakeTlsConnect<Socket> for Recording {
    type Stream = TlsStream<Socket>;
    type TlsConnect = RecordingConnect;
    type Error = native_tls::Error;

    fn make_tls_connect(&mut self, domain: &str) -> Result<RecordingConnect, native_tls::Error> {
        // Called once per host attempt: only the attempt that connects counts.
        self.established.store(false, Ordering::SeqCst);
        let inner = MakeTlsConnect::<Socket>::make_tls_connect(&mut self.inner, domain)?;
        Ok(RecordingConnect {
            inner,
            established: Arc::clone(&self.established),
        })
    }
}

/// One attempt's handshake; see [`Recording`].
pub(super) struct RecordingConnect {
    inner: TlsConnector,
    established: Arc<AtomicBool>,
}

impl TlsConnect<Socket> for RecordingConnect {
    type Stream = TlsStream<Socket>;
    type Error = native_tls::Error;
    type Future =
        Pin<Box<dyn Future<Output = Result<TlsStream<Socket>, native_tls::Error>> + Send>>;

    fn connect(self, stream: Socket) -> Self::Future {
        let established = self.established;
        let handshake = self.inner.connect(stream);
        Box::pin(async move {
            let stream = handshake.await?;
            established.store(true, Ordering::SeqCst);
            Ok(stream)
        })
    }
}

pub(super) fn connector(ssl: &SslSettings) -> Result<Recording, ConnError> {
    let mut builder = native_tls::TlsConnector::builder();
    let root = root_certificate(ssl)?;
    let verify_chain = match ssl.mode {
        SslMode::VerifyCa | SslMode::VerifyFull => true,
        SslMode::Require => root.is_some() || ssl.root_cert.as_deref() == Some("system"),
        _ => false,
    };
    match &root {
        Some(certs) => {
            builder.disable_built_in_roots(true);
            for c in certs {
                builder.add_root_certificate(c.clone());
            }
        }
        None if verify_chain && ssl.root_cert.as_deref() != Some("system") => {
            // verify-* without a root certificate: libpq refuses; so do we.
            return Err(ConnError::Tls(format!(
                "sslmode={} needs a root certificate: set sslrootcert=/path/to/ca.pem (or sslrootcert=system)",
                ssl.mode.as_str()
            )));
        }
        None => {}
    }
    if !verify_chain {
        builder.danger_accept_invalid_certs(true);
    }
    if ssl.mode != SslMode::VerifyFull {
        builder.danger_accept_invalid_hostnames(true);
    }
    if let (Some(cert), Some(key)) = (&ssl.cert, &ssl.key) {
        let cert = read(cert)?;
        let key = read(key)?;
        let identity = native_tls::Identity::from_pkcs8(&cert, &key).map_err(|e| {
            ConnError::Tls(format!(
                "client certificate/key: {e} (the key must be PKCS#8 PEM: openssl pkcs8 -topk8 -nocrypt -in key.pem)"
            ))
        })?;
        builder.identity(identity);
    }
    let connector = builder.build().map_err(|e| ConnError::Tls(e.to_string()))?;
    Ok(Recording {
        inner: MakeTlsConnector::new(connector),
        established: Arc::new(AtomicBool::new(false)),
        verifies_chain: verify_chain,
    })
}

fn root_certificate(ssl: &SslSettings) -> Result<Option<Vec<native_tls::Certificate>>, ConnError> {
    let path = match ssl.root_cert.as_deref() {
        Some("system") => return Ok(None),
        Some(p) => std::path::PathBuf::from(p),
        None => match dirs::home_dir().map(|h| h.join(".postgresql/root.crt")) {
            Some(default) if default.is_file() => default,
            _ => return Ok(None),
        },
    };
    let pem = read(&path)?;
    native_tls::Certificate::stack_from_pem(&pem)
        .map(Some)
        .map_err(|e| ConnError::Tls(format!("{}: {e}", path.display())))
}

fn read(path: &std::path::Path) -> Result<Vec<u8>, ConnError> {
    std::fs::read(path).map_err(|e| ConnError::Tls(format!("{}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_established_unverified_session_gets_the_note() {
        assert_eq!(Tls::negotiated(false, false), Tls::Off);
        assert_eq!(Tls::negotiated(false, true), Tls::Off);
        assert_eq!(Tls::negotiated(true, true), Tls::Verified);
        assert_eq!(Tls::negotiated(true, false), Tls::Unverified);
        assert!(Tls::Off.note().is_none());
        assert!(Tls::Verified.note().is_none());
        assert!(
            Tls::Unverified
                .note()
                .is_some_and(|n| n.contains("not verified"))
        );
    }

    fn settings(mode: SslMode, root_cert: Option<&str>) -> SslSettings {
        SslSettings {
            mode,
            root_cert: root_cert.map(str::to_string),
            cert: None,
            key: None,
        }
    }

    #[test]
    fn prefer_and_require_without_a_root_certificate_do_not_verify() {
        for mode in [SslMode::Allow, SslMode::Prefer, SslMode::Require] {
            let connector = connector(&settings(mode, None)).unwrap();
            assert!(!connector.verifies_chain, "{mode:?}");
            assert!(!connector.established(), "nothing is negotiated yet");
        }
        let system = connector(&settings(SslMode::Require, Some("system"))).unwrap();
        assert!(system.verifies_chain);
        let full = connector(&settings(SslMode::VerifyFull, Some("system"))).unwrap();
        assert!(full.verifies_chain);
    }
}
