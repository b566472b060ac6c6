import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';

/** OWASP's argon2id baseline (19 MiB, 2 passes): about 20 ms here, and bounded memory under load. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

/** The one recipe for a password hash, also used by the demo seed and the tests' users. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

@Injectable()
export class Passwords {
  /** Verified against when the email is unknown, so both answers take the same time. */
  private readonly decoy = hashPassword('not a password anyone has');

  hash(password: string): Promise<string> {
    return hashPassword(password);
  }

  /** False for a missing hash (unknown email, or an invited user without a password), after the same work. */
  async verify(hash: string | null | undefined, password: string): Promise<boolean> {
    if (!hash) {
      await argon2.verify(await this.decoy, password);
      return false;
    }
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }
}
