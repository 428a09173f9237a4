/**
 * Makes page-derived text inert in Discord and release-notes markdown: formatting characters are
 * backslash-escaped (so `**x**`, `[a](b)`, `<@123>`, `# heading`, a leading `- ` or `1.` show literally) and `@word`
 * gets a zero-width space so it cannot mention anyone even where allowed_mentions does not apply.
 * Apply to single-line text (see oneLine).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_~|<>[\]#]/g, (char) => `\\${char}`)
    .replace(/^([-+])/, '\\$1')
    .replace(/^(\d+)\./, '$1\\.')
    .replace(/@(?=\w)/g, '@\u200b');
}
