//! sslmode → a native-tls connector, with libpq's meaning of each mode: prefer
//! and require encrypt without verifying (unless a root certificate is given for
//! require), verify-ca checks the chain, verify-full the chain and host name.

use postgres_native_tls::MakeTlsConnector;

use super::ConnError;
use super::params::{SslMode, SslSettings};

pub(super) fn connector(ssl: &SslSettings) -> Result<MakeTlsConnector, ConnError> {
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
    Ok(MakeTlsConnector::new(connector))
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
