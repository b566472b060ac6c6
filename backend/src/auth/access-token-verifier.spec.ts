import { setTimeout as sleep } from 'node:timers/promises';
import { JwtService } from '@nestjs/jwt';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from './access-token';
import { AccessTokenRefused, AccessTokenVerifier } from './access-token-verifier';

const SECRET = 'a-test-secret-of-enough-length-for-hs256';
const USER_ID = '6f1c2a8e-3d4b-4c5a-9e7f-0a1b2c3d4e5f';
const CLAIMS = { sub: USER_ID, memberships: [{ tenant_id: 'acme', role: 'rep' }] };

describe('AccessTokenVerifier', () => {
  const jwt = new JwtService({ secret: SECRET });
  const sign = (expiresIn: number, secret = SECRET) =>
    jwt.sign(CLAIMS, { secret, expiresIn, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE });
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error,
    );
  let verifier: AccessTokenVerifier;
  let verifications: jest.SpyInstance;

  beforeEach(() => {
    verifier = new AccessTokenVerifier(jwt);
    verifications = jest.spyOn(jwt, 'verifyAsync');
  });

  afterEach(() => verifications.mockRestore());

  it('answers the claims, and checks the signature of a token only the first time', async () => {
    const token = sign(900);
    const first = await verifier.verify(token);
    const again = await verifier.verify(token);
    expect(first).toMatchObject(CLAIMS);
    expect(again).toBe(first);
    expect(verifications).toHaveBeenCalledTimes(1);
  });

  it('refuses a token signed with another key, every time', async () => {
    const forged = sign(900, 'another-secret-of-enough-length-for-hs256');
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await refusal(verifier.verify(forged));
      expect(error).toBeInstanceOf(AccessTokenRefused);
      expect(error).toMatchObject({ expired: false });
    }
    expect(verifications).toHaveBeenCalledTimes(2);
  });

  it('does not take a token that differs from a verified one by a character', async () => {
    const token = sign(900);
    await verifier.verify(token);
    const [header, payload, signature] = token.split('.');
    // A middle character: all six of its bits are the signature's (the last one's lowest two are padding).
    const flipped = signature[10] === 'A' ? 'B' : 'A';
    const tampered = `${header}.${payload}.${signature.slice(0, 10)}${flipped}${signature.slice(11)}`;
    await expect(verifier.verify(tampered)).rejects.toBeInstanceOf(AccessTokenRefused);
  });

  it('refuses a signed token whose subject is not a user id, every time', async () => {
    const token = jwt.sign(
      { ...CLAIMS, sub: 'not-a-user-id' },
      { expiresIn: 900, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE },
    );
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(verifier.verify(token)).rejects.toMatchObject({ expired: false });
    }
    expect(verifications).toHaveBeenCalledTimes(2);
  });

  it('says an expired token has expired', async () => {
    const expired = jwt.sign(
      { ...CLAIMS, exp: Math.floor(Date.now() / 1000) - 60 },
      { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE },
    );
    await expect(verifier.verify(expired)).rejects.toMatchObject({ expired: true });
  });

  it('forgets a verified token when it expires', async () => {
    // Two seconds ahead: `exp` counts whole seconds, and one could run out before the first verification.
    const exp = Math.floor(Date.now() / 1000) + 2;
    const token = jwt.sign({ ...CLAIMS, exp }, { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE });
    await verifier.verify(token);
    await sleep(exp * 1000 - Date.now() + 20);
    await expect(verifier.verify(token)).rejects.toMatchObject({ expired: true });
    expect(verifications).toHaveBeenCalledTimes(2);
  });
});
