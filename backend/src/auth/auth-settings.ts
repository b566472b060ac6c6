/** Injection token of the AuthSettings resolved at start (signing key, limits, sign-up switch). */
export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');
