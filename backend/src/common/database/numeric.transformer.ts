import type { ValueTransformer } from 'typeorm';

/** `numeric` arrives from pg as a string (to keep precision); money values fit a double once rounded to cents. */
export const numericToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
