/**
 * Strapi 5.54 and its design system write a few strings with no translation id: screen-reader labels
 * ("Notifications alt+T", "Menu", "Choose date", a status badge's "draft"), the relation list's "1 of 5" when an item
 * is moved, and the " | Strapi" after every page title. Translations cannot reach them and node_modules is not ours to
 * patch, so the admin rewrites exactly these strings as they appear (attribute values and text nodes), and nothing
 * else. Each is listed here; `localized` is pure and unit-tested.
 */

const EXACT: Readonly<Partial<Record<string, string>>> = {
  'Notifications alt+T': '通知',
  Menu: '菜单',
  'Choose date': '选择日期',
  'Choose time': '选择时间',
  'Clear date': '清除日期',
  'Clear time': '清除时间',
  '清除 date': '清除日期',
  '清除 time': '清除时间',
  Pagination: '分页',
  draft: '草稿',
  published: '已签发',
  modified: '已修改',
  'Close modal': '关闭对话框',
};

const PATTERNS: readonly [RegExp, string][] = [
  // The relation list's position when an item is moved by keyboard: "在列表中的最终位置：1 of 5。"
  [/(\d+) of (\d+)/g, '第$1项（共$2项）'],
  // Every page title: "期 | Strapi"
  [/ \| Strapi$/, ' | 简报编辑系统'],
];

/** The Chinese for a hard-coded string, or null when it is not one of them. */
export function localized(text: string): string | null {
  const trimmed = text.trim();
  const exact = EXACT[trimmed];
  if (exact !== undefined) return text.replace(trimmed, exact);
  let result = text;
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result === text ? null : result;
}

const ATTRIBUTES = ['aria-label', 'title', 'placeholder'] as const;

function localizeNode(node: Node): void {
  if (node.nodeType === Node.TEXT_NODE) {
    const value = node.nodeValue;
    const next = value === null || !/[A-Za-z]/.test(value) ? null : localized(value);
    if (next !== null) node.nodeValue = next;
    return;
  }
  if (!(node instanceof Element)) return;
  for (const element of [node, ...Array.from(node.querySelectorAll('[aria-label],[title],[placeholder]'))]) {
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      const next = value === null ? null : localized(value);
      if (next !== null) element.setAttribute(name, next);
    }
  }
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text !== null; text = walker.nextNode()) localizeNode(text);
}

/** Keeps the page (and its title) free of those strings from now on. */
export function localizeHardCodedStrings(): void {
  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === 'attributes' || mutation.type === 'characterData') localizeNode(mutation.target);
      for (const added of Array.from(mutation.addedNodes)) localizeNode(added);
    }
  });
  observer.observe(document.documentElement, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: [...ATTRIBUTES],
  });
  localizeNode(document.documentElement);
}
