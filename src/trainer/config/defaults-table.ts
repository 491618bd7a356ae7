/** Renders the settings table of docs/training.md from fields.ts (a test keeps the doc in sync). */
import { TRAIN_FIELDS, type FieldKind } from './fields';

function typeText(kind: FieldKind): string {
  switch (kind.type) {
    case 'enum': return kind.values.map((v) => `\`${v}\``).join(' \\| ');
    case 'int': case 'number': {
      const bounds = [kind.min !== undefined ? `≥ ${kind.min}` : '', kind.max !== undefined ? `≤ ${kind.max}` : ''].filter(Boolean).join(', ');
      return bounds ? `${kind.type} (${bounds})` : kind.type;
    }
    default: return kind.type;
  }
}

export function defaultsMarkdownTable(): string {
  const rows = Object.entries(TRAIN_FIELDS).map(([name, field]) =>
    `| \`${name}\` | ${typeText(field.kind)} | \`${JSON.stringify(field.default)}\` | ${field.doc} |`);
  return ['| setting | type | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
