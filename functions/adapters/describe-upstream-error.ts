// Why the read-only proxy could not reach production, in the words a seal's check error uses.

const TLS_REASONS: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate chain is incomplete (unable to verify the leaf)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate issuer is not trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'certificate issuer is not trusted',
  CERT_REVOKED: 'certificate is revoked',
  CERT_SIGNATURE_FAILURE: 'certificate signature is invalid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate is not valid for this host name',
  ERR_CERT_COMMON_NAME_INVALID:
    'certificate names its host only in the CN, no subjectAltName (Chromium refuses it)',
  AIA_INTERMEDIATE_UNTRUSTED:
    'certificate chain is incomplete, and the intermediate fetched from its AIA URL does not chain to a trusted root',
};

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'unreachable: connection refused',
  ENOTFOUND: 'unreachable: DNS name not resolved',
  EAI_AGAIN: 'unreachable: DNS name not resolved',
  ENODATA: 'unreachable: DNS name not resolved',
  ESERVFAIL: 'unreachable: DNS name not resolved',
  EREFUSED: 'unreachable: DNS name not resolved',
  ETIMEOUT: 'unreachable: DNS lookup timed out',
  ECANCELLED: 'unreachable: DNS lookup cancelled',
  ECONNRESET: 'unreachable: connection reset',
  EPIPE: 'unreachable: connection reset',
  ETIMEDOUT: 'unreachable: connection timed out',
  EHOSTUNREACH: 'unreachable: host unreachable',
  ENETUNREACH: 'unreachable: network unreachable',
  HPE_INVALID_CONSTANT: 'unreachable: not an HTTP answer',
};

/** `TLS error: certificate has expired (CERT_HAS_EXPIRED)`, `unreachable: connection refused`. Printable ASCII, bounded. */
export function describeUpstreamError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const text = (() => {
    if (typeof code === 'string' && TLS_REASONS[code]) return `TLS error: ${TLS_REASONS[code]} (${code})`;
    if (typeof code === 'string' && (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))) {
      return `TLS error: ${message} (${code})`;
    }
    if (code === 'EPROTO' || /SSL routines|handshake/i.test(message)) return `TLS error: ${message}`;
    if (typeof code === 'string' && NETWORK_REASONS[code]) return NETWORK_REASONS[code];
    return `unreachable: ${typeof code === 'string' ? code : message}`;
  })();
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 199)}…`.replace(/…$/, '...') : clean;
}
