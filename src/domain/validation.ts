import type { z } from 'zod';

/** A refused input, naming each offending field; the HTTP layer turns it into a 400. */
export interface FieldIssue {
  field: string;
  message: string;
}

export class ValidationError extends Error {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
    this.issues = issues;
  }
}

export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => {
    const unknown = i.code === 'unrecognized_keys' ? i.keys.join(', ') : '';
    const field = [...i.path.map(String), unknown].filter(Boolean).join('.') || '(body)';
    const message =
      i.code === 'invalid_type' && i.input === undefined
        ? 'required'
        : i.code === 'unrecognized_keys'
          ? 'unknown field'
          : i.message;
    return { field, message };
  });
}

/** A single refused field, for checks that zod cannot express (e.g. "this person cannot work here"). */
export function invalidField(field: string, message: string): ValidationError {
  return new ValidationError([{ field, message }]);
}
