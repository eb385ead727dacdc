import type { z } from 'zod';
import { fieldIssues, ValidationError } from '../../domain/validation.ts';

/** Parses a request part with its zod schema; a failure is a 400 naming the field. */
export function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ValidationError(fieldIssues(r.error));
  return r.data;
}
