/** A secret echoed back in another form (URL-encoded, JSON-escaped, base64, Basic/Bearer) is redacted too. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/notion/log.js';

describe('redact', () => {
  it('removes the token as is, URL-encoded, JSON-escaped, base64 and base64url, and in Bearer/Basic forms', () => {
    const token = 'ntn_abc/def+ghi=jkl"mno\\pqr';
    const forms = [
      token,
      encodeURIComponent(token),
      JSON.stringify(token).slice(1, -1),
      Buffer.from(token).toString('base64').replace(/=+$/, ''),
      Buffer.from(token).toString('base64url'),
      Buffer.from(`Bearer ${token}`).toString('base64').replace(/=+$/, ''),
      Buffer.from(`:${token}`).toString('base64url'),
    ];
    for (const form of forms) {
      const out = redact(`request failed: header ${form} rejected`, token);
      expect(out).toBe('request failed: header [redacted] rejected');
    }
  });

  it('for any token, no form of it survives in a message built around it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_]{8,40}$/), fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (token, before, after) => {
        for (const form of [token, encodeURIComponent(token), Buffer.from(token).toString('base64url')]) {
          const out = redact(`${before}${form}${after}`, token);
          expect(out.includes(form)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});
