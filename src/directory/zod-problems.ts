import { closest } from 'fastest-levenshtein';
import type { z } from 'zod';
import type { FieldProblem } from './errors.ts';

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) =>
      typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    '',
  );
}

function suggestion(value: unknown, allowed: string[]): string | undefined {
  if (typeof value !== 'string' || !allowed.length) return undefined;
  const best = closest(value, allowed);
  return best && value.length > 1 ? best : undefined;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path)
    current =
      current && typeof current === 'object' ? (current as Record<PropertyKey, unknown>)[key] : undefined;
  return current;
}

/**
 * Turns zod issues into problems an agent can act on: the field, what was wrong, the allowed
 * values for enums and unknown keys, and the closest allowed value.
 */
export function zodProblems(error: z.ZodError, input: unknown, schema?: z.ZodObject): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    const field = fieldPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const parent = issue.path.length === 0 && schema ? Object.keys(schema.shape) : [];
      for (const key of issue.keys) {
        const didYouMean = suggestion(key, parent);
        problems.push({
          field: field ? `${field}.${key}` : key,
          code: 'unknown_field',
          message: `"${key}" is not a field here${didYouMean ? `; did you mean "${didYouMean}"?` : '.'}`,
          ...(parent.length ? { allowed: parent } : {}),
          ...(didYouMean ? { didYouMean } : {}),
        });
      }
    } else if (issue.code === 'invalid_value') {
      const allowed = issue.values.map(String);
      const given = valueAt(input, issue.path);
      if (given === undefined) {
        problems.push({
          field,
          code: 'required',
          message: `${field} is required: ${allowed.join(' or ')}.`,
          allowed,
        });
        continue;
      }
      const didYouMean = suggestion(given, allowed);
      problems.push({
        field,
        code: 'invalid_value',
        message: `${JSON.stringify(given)} is not allowed for ${field}; use one of: ${allowed.join(', ')}.`,
        allowed,
        ...(didYouMean ? { didYouMean } : {}),
      });
    } else if (issue.code === 'invalid_type') {
      const given = valueAt(input, issue.path);
      problems.push({
        field: field || 'input',
        code: given === undefined ? 'required' : 'invalid_type',
        message:
          given === undefined
            ? `${field || 'input'} is required.`
            : `${field} must be ${issue.expected}, not ${given === null ? 'null' : typeof given}.`,
      });
    } else if (issue.code === 'too_big' || issue.code === 'too_small') {
      const limit = String(issue.code === 'too_big' ? issue.maximum : issue.minimum);
      const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : '';
      problems.push({
        field,
        code: issue.code,
        message: `${field} must be ${issue.code === 'too_big' ? 'at most' : 'at least'} ${limit}${unit}.`,
      });
    } else {
      problems.push({
        field: field || 'input',
        code: issue.code,
        message: `${field || 'input'}: ${issue.message}`,
      });
    }
  }
  return problems;
}
