/**
 * The one error the bridge shows to people. `code` is stable (tests and scripts match on it);
 * `message` is the sentence printed after "folio-bridge: ".
 * @typedef {'usage' | 'bad_url' | 'unreachable' | 'not_folio' | 'sign_in_timeout'
 *   | 'sign_in_refused' | 'sign_in_loop' | 'sign_in_elsewhere' | 'proxy_failed'} BridgeErrorCode
 */
export class BridgeError extends Error {
  /**
   * @param {BridgeErrorCode} code
   * @param {string} message
   * @param {{ cause?: unknown }} [options]
   */
  constructor(code, message, options) {
    super(message, options);
    this.name = 'BridgeError';
    this.code = code;
  }
}
