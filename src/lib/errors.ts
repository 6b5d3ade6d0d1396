/**
 * The one error base class. A `code` names a condition a caller may catch;
 * the message says what failed, where, and what was expected.
 */
export type ErrorCode =
  | 'HS_CONFIG_INVALID'
  | 'HS_CONFIG_NOT_FOUND'
  | 'HS_USAGE'
  | 'HS_IO'
  | 'HS_PARSE'
  | 'HS_LIMIT'
  | 'HS_STORE'
  | 'HS_INGEST'
  | 'HS_INTEL'
  | 'HS_OTX'
  | 'HS_EXPORT'
  | 'HS_MATCH'
  | 'HS_CLAMD_UNAVAILABLE'
  | 'HS_CLAMD_PROTOCOL'
  | 'HS_CLAMD_TIMEOUT'
  | 'HS_DOWNLOAD_REFUSED'
  | 'HS_FLEET'
  | 'HS_WEB_AUTH';

export class HoneyscopeError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HoneyscopeError';
    this.code = code;
  }
}

/** True when `err` is a HoneyscopeError, optionally with the given code. */
export function isHoneyscopeError(err: unknown, code?: ErrorCode): err is HoneyscopeError {
  return err instanceof HoneyscopeError && (code === undefined || err.code === code);
}

/** A short text for any thrown value, for diagnostics. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
