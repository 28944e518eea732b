import { describe, expect, it } from 'bun:test';
import { ConfigError, loadConfig } from '../src/config.ts';

/** Sign-in settings: each bad value stops start-up with a message naming the variable. */
const oidc = {
  OIDC_ISSUER: 'https://id.example.com/realms/home',
  OIDC_CLIENT_ID: 'folio',
  OIDC_CLIENT_SECRET: 'secret',
};

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the settings were accepted');
}

describe('sign-in settings', () => {
  it('keeps local accounts on and every provider off by default', () => {
    const config = loadConfig({});
    expect(config.localAccounts).toBe(true);
    expect(config.google).toBeNull();
    expect(config.oidc).toBeNull();
    expect(config.allowedEmails).toEqual([]);
  });

  it('refuses GOOGLE_CLIENT_ID without GOOGLE_CLIENT_SECRET', () => {
    expect(refusal({ GOOGLE_CLIENT_ID: 'x' })).toContain(
      'GOOGLE_CLIENT_ID is set, so GOOGLE_CLIENT_SECRET must be too',
    );
  });

  it('refuses GOOGLE_CLIENT_SECRET without GOOGLE_CLIENT_ID', () => {
    expect(refusal({ GOOGLE_CLIENT_SECRET: 'x' })).toContain('GOOGLE_CLIENT_ID must be too');
  });

  it('refuses OIDC_ISSUER without its client id and secret', () => {
    expect(refusal({ OIDC_ISSUER: oidc.OIDC_ISSUER })).toContain(
      'OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together',
    );
  });

  it('refuses a plain-http OIDC_ISSUER that is not loopback', () => {
    expect(refusal({ ...oidc, OIDC_ISSUER: 'http://id.example.com' })).toContain(
      'OIDC_ISSUER must be an https URL',
    );
  });

  it('accepts a plain-http OIDC_ISSUER on loopback, keeping it byte for byte', () => {
    const config = loadConfig({ ...oidc, OIDC_ISSUER: 'http://127.0.0.1:9000/' });
    expect(config.oidc?.issuerUrl).toBe('http://127.0.0.1:9000/');
  });

  it('refuses LOCAL_ACCOUNTS=off with no provider, since nobody could sign in', () => {
    expect(refusal({ LOCAL_ACCOUNTS: 'off' })).toContain(
      'LOCAL_ACCOUNTS=off needs a sign-in provider',
    );
  });

  it('refuses a LOCAL_ACCOUNTS value that is not on or off', () => {
    expect(refusal({ LOCAL_ACCOUNTS: 'maybe' })).toContain('LOCAL_ACCOUNTS must be on or off');
  });

  it('reads ALLOWED_EMAILS and ALLOWED_DOMAINS lowercased', () => {
    const config = loadConfig({
      ALLOWED_EMAILS: 'Ann@Example.com, bob@example.org',
      ALLOWED_DOMAINS: '@Family.Example',
    });
    expect(config.allowedEmails).toEqual(['ann@example.com', 'bob@example.org']);
    expect(config.allowedDomains).toEqual(['family.example']);
  });

  it('refuses an ALLOWED_DOMAINS entry that is not a domain name', () => {
    expect(refusal({ ALLOWED_DOMAINS: 'example.com, not a domain' })).toContain(
      'ALLOWED_DOMAINS must be a comma-separated list of domain names, got " not a domain"',
    );
  });

  it('names OIDC_NAME on the buttons, with a default', () => {
    expect(loadConfig(oidc).oidc?.name).toBe('your organisation');
    expect(loadConfig({ ...oidc, OIDC_NAME: 'Keycloak' }).oidc?.name).toBe('Keycloak');
  });
});
