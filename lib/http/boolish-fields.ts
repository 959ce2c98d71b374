// Bool-ish request fields, coerced as Hermes coerces them (reference §3.1, §4.1, §6.6): which top-level body fields an
// operation declares `type: boolean` is read from its body schema in the contract, once; the door coerces them
// before validation. Knows no operation and no field by name.
import type { Contract, JsonSchema } from './contract.js';

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);

/**
 * Hermes' `_coerce_bool`: `"1","true","yes","on"` are true and `"0","false","no","off"` false (trimmed,
 * case-insensitive), numbers by truthiness, anything else (null, another string, an object) false.
 */
export function boolish(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return TRUE_WORDS.has(value.trim().toLowerCase());
  return false;
}

/** A body with its bool-ish fields coerced (a copy; the body as sent stays untouched), or the body itself. */
export function coerceBoolish(body: unknown, fields: readonly string[]): unknown {
  if (fields.length === 0 || typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  let copy: Record<string, unknown> | null = null;
  for (const field of fields) {
    const value = (body as Record<string, unknown>)[field];
    if (value === undefined || typeof value === 'boolean') continue;
    copy ??= { ...(body as Record<string, unknown>) };
    copy[field] = boolish(value);
  }
  return copy ?? body;
}

/**
 * The top-level properties of a body schema whose schema is `type: boolean`, following `$ref`s (into the schema
 * files, by their `$id`) and `allOf`. Branches of `anyOf`/`oneOf` are left alone: which one applies is not known
 * before validation.
 */
export function booleanBodyFields(contract: Contract, schema: JsonSchema): string[] {
  const files = new Map(contract.schemaFiles.map((file) => [String(file.$id), file]));
  const fields = new Set<string>();
  const visit = (node: JsonSchema, base: string, depth: number): void => {
    if (depth > 20) throw new Error('booleanBodyFields: $ref chain too deep');
    const [target, targetBase] = deref(files, node, base);
    if (target !== node) {
      visit(target, targetBase, depth + 1);
      return;
    }
    for (const part of (node.allOf as JsonSchema[] | undefined) ?? []) visit(part, base, depth + 1);
    const properties = (node.properties as Record<string, JsonSchema> | undefined) ?? {};
    for (const [name, property] of Object.entries(properties)) {
      const [resolved] = deref(files, property, base);
      if (resolved.type === 'boolean') fields.add(name);
    }
  };
  visit(schema, '', 0);
  return [...fields];
}

/** The schema a `$ref` points to (with the base its own refs resolve against), or the node itself. */
function deref(files: Map<string, JsonSchema>, node: JsonSchema, base: string): [JsonSchema, string] {
  if (typeof node.$ref !== 'string') return [node, base];
  const url = new URL(node.$ref, base || undefined);
  const pointer = decodeURIComponent(url.hash.slice(1));
  url.hash = '';
  const root = files.get(url.href);
  if (!root) throw new Error(`booleanBodyFields: ${node.$ref} names no schema file`);
  const target = pointer
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (at, key) => (at as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')],
      root,
    );
  if (typeof target !== 'object' || target === null) throw new Error(`booleanBodyFields: ${node.$ref} points nowhere`);
  return [target as JsonSchema, url.href];
}
