/** The "recent models" list of Start Training: most recent first, no duplicates, bounded. */

export const RECENT_MODELS_LIMIT = 8;

export function rememberModel(recent: readonly string[], model: string, limit = RECENT_MODELS_LIMIT): string[] {
  return [model, ...recent.filter((m) => m !== model)].slice(0, limit);
}

/** What globalState gave back, kept only if it is a list of non-empty strings. */
export function readRecentModels(stored: unknown): string[] {
  return Array.isArray(stored) ? stored.filter((m): m is string => typeof m === 'string' && m.trim() !== '').slice(0, RECENT_MODELS_LIMIT) : [];
}

/**
 * A Hugging Face hub id: `name` or `owner/name` of letters, digits and `-_.`; no path segments
 * beyond one slash, no `..`. Returns why not, or null when it is one (InputBox validation).
 */
export function hubIdProblem(text: string): string | null {
  const id = text.trim();
  if (id === '') return 'Enter a model id such as Qwen/Qwen2.5-0.5B-Instruct.';
  if (!/^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/.test(id) || id.includes('..')) {
    return `"${id}" is not a hub id (owner/name of letters, digits, "-", "_" and "."). For a folder on disk, pick "Local folder…".`;
  }
  return null;
}
