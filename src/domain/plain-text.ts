/**
 * The issue as plain text, laid out the way text comes out of the printed PDF (the reference issue's layout):
 * masthead, issue line, issuer, date, column; each item as "headline body…" with its paragraphs on their own lines
 * and the attribution after the last one; then the footer lines. Blank lines between blocks.
 */

export type TextItem = { headline: string; paragraphs: string[]; attribution: string };
export type FooterLine = { label: string; text: string };
export type TextIssue = {
  publication: string;
  issueLine: string;
  issuer: string;
  date: string;
  column: string | null;
  items: TextItem[];
  footer: FooterLine[];
};

export function paragraphsOf(body: string): string[] {
  return body
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => paragraph.replace(/\s*\r?\n\s*/g, '').trim())
    .filter((paragraph) => paragraph !== '');
}

export function issueAsText(issue: TextIssue): string {
  const blocks: string[] = [issue.publication, issue.issueLine, issue.issuer, issue.date];
  if (issue.column !== null) blocks.push(issue.column);
  for (const item of issue.items) {
    const paragraphs = item.paragraphs.length === 0 ? [''] : [...item.paragraphs];
    paragraphs[0] = `${item.headline} ${paragraphs[0]}`.trimEnd();
    paragraphs[paragraphs.length - 1] += item.attribution;
    blocks.push(...paragraphs);
  }
  for (const line of issue.footer) blocks.push(`${line.label}：${line.text}`);
  return blocks.join('\n\n');
}
