// The readers' and contributors' front end: plain ES module, hash routes, GraphQL only, nothing from another origin.
//   #/                                  the issues sent to me, newest first, by year
//   #/issue/<publication>/<year>/<number>[/<edition>]   one issue, rendered as it prints
//   #/desk                              contributors: send an item, see what became of my unit's items
// Every piece of text from the server is put in the page as text (textContent); the one HTML fragment, the rendered
// issue, is rendered and escaped by the server (src/domain/issue-html.ts).

const TOKEN_KEY = 'bulletin.reader.jwt';
const view = document.getElementById('view');

// ---- DOM helpers ------------------------------------------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function show(...nodes) {
  view.replaceChildren(...nodes);
}

function state(message, kind = '') {
  return el('p', { class: `state ${kind}`.trim(), 'data-state': kind || 'info' }, message);
}

// ---- GraphQL ------------------------------------------------------------------------------------------------------------

class GraphQLError extends Error {
  constructor(errors, status) {
    super(errors.map((error) => error.message).join('；'));
    this.errors = errors;
    this.status = status;
  }
  get code() {
    return this.errors[0]?.extensions?.code;
  }
  /** [{ path: ['headline'], message }] from a ValidationError */
  get fieldErrors() {
    return this.errors.flatMap((error) => error.extensions?.error?.details?.errors ?? []);
  }
}

async function gql(query, variables = {}, { anonymous = false } = {}) {
  const headers = { 'content-type': 'application/json' };
  const token = localStorage.getItem(TOKEN_KEY);
  if (token !== null && !anonymous) headers.authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new GraphQLError([{ message: '无法连接服务器，请检查网络后重试' }], 0);
  }
  const body = await response.json().catch(() => ({ errors: [{ message: `服务器返回了错误（${response.status}）` }] }));
  if (Array.isArray(body.errors) && body.errors.length > 0) throw new GraphQLError(body.errors, response.status);
  // Refused before GraphQL ran (an invalid or expired token): Strapi's own error shape.
  if (body.error !== undefined || !response.ok || body.data === null || body.data === undefined) {
    throw new GraphQLError([{ message: body.error?.message ?? `服务器返回了错误（${response.status}）`, extensions: { code: body.error?.name } }], response.status);
  }
  return body.data;
}

const loginExpired = (error) =>
  error instanceof GraphQLError && (error.status === 401 || error.code === 'UNAUTHENTICATED' || /Invalid credentials|Missing or invalid credentials|Unauthorized/i.test(error.message));

// ---- session ------------------------------------------------------------------------------------------------------------

let me = null;

async function currentUser() {
  if (localStorage.getItem(TOKEN_KEY) === null) return null;
  if (me !== null) return me;
  const data = await gql('{ me { id username role { type name } } }');
  me = data.me;
  return me;
}

function signOut(message) {
  localStorage.removeItem(TOKEN_KEY);
  me = null;
  document.getElementById('nav').hidden = true;
  renderLogin(message);
}

document.getElementById('logout').addEventListener('click', () => {
  signOut('您已退出。');
  location.hash = '#/';
});

function renderLogin(message = null, kind = 'info') {
  const errors = el('p', { class: 'field-error', id: 'login-error', role: 'alert' }, message && kind === 'error' ? message : '');
  const form = el(
    'form',
    { class: 'login panel', 'data-view': 'login' },
    el('h1', {}, '登录'),
    message && kind !== 'error' ? el('p', { class: 'state', 'data-state': kind }, message) : null,
    el('label', { for: 'identifier' }, '用户名或邮箱'),
    el('input', { id: 'identifier', name: 'identifier', autocomplete: 'username', required: true }),
    el('label', { for: 'password' }, '密码'),
    el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    errors,
    el('p', {}, el('button', { type: 'submit' }, '登录')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.textContent = '';
    try {
      const data = await gql(
        'mutation($input: UsersPermissionsLoginInput!) { login(input: $input) { jwt } }',
        { input: { identifier: form.identifier.value, password: form.password.value } },
        { anonymous: true },
      );
      localStorage.setItem(TOKEN_KEY, data.login.jwt);
      me = null;
      await route();
    } catch (error) {
      errors.textContent = /Invalid identifier or password/i.test(error.message) ? '用户名或密码不正确' : error.message;
    }
  });
  show(form);
}

// ---- reading ------------------------------------------------------------------------------------------------------------

function issueHref(summary) {
  const parts = [summary.publication, summary.year, summary.number].map((part) => encodeURIComponent(String(part)));
  return `#/issue/${parts.join('/')}${summary.edition === 'regular' ? '' : `/${summary.edition}`}`;
}

async function renderList() {
  const data = await gql('{ bulletinIssues(pageSize: 100) { nodes { documentId publication edition year number date labels { issueLine date } headlines } } }');
  const issues = data.bulletinIssues.nodes;
  if (issues.length === 0) {
    show(el('section', { class: 'panel' }, state('还没有发给您的简报。', 'empty')));
    return;
  }
  const years = new Map();
  for (const issue of issues) {
    if (!years.has(issue.year)) years.set(issue.year, []);
    years.get(issue.year).push(issue);
  }
  show(
    el(
      'section',
      { class: 'panel', 'data-view': 'list' },
      el('h1', {}, '发给我的简报'),
      [...years].map(([year, list]) =>
        el(
          'section',
          { class: 'year', 'data-year': year },
          el('h2', {}, `${year}年`),
          el(
            'ul',
            { class: 'issue-list' },
            list.map((issue) =>
              el(
                'li',
                { 'data-document-id': issue.documentId },
                el('a', { href: issueHref(issue) }, `${issue.publication} ${issue.labels.issueLine}`),
                ' ',
                el('span', { class: 'date' }, issue.labels.date ?? ''),
                el('div', { class: 'headlines' }, issue.headlines.join(' · ')),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

async function renderIssue(publication, year, number, edition) {
  const data = await gql(
    'query($p: String!, $y: Int!, $n: Int!, $e: String) { bulletinIssueHtml(publication: $p, year: $y, number: $n, edition: $e) }',
    { p: publication, y: Number(year), n: Number(number), e: edition },
  );
  if (data.bulletinIssueHtml === null) {
    show(el('section', { class: 'panel' }, state('没有这一期，或这一期没有发给您。', 'not-found'), el('p', { class: 'state' }, el('a', { href: '#/' }, '返回我的简报'))));
    return;
  }
  const sheet = el('div', { class: 'sheet', 'data-view': 'issue' });
  sheet.innerHTML = data.bulletinIssueHtml; // rendered and escaped by the server: text only, no script
  show(
    el(
      'div',
      { class: 'toolbar' },
      el('a', { href: '#/' }, '← 我的简报'),
      el('a', { href: '#', 'data-action': 'print', onclick: (event) => (event.preventDefault(), window.print()) }, '打印'),
    ),
    sheet,
  );
}

// ---- contributors' desk -------------------------------------------------------------------------------------------------

const STATES = { submitted: '已报送', adopted: '已采用', returned: '已退回', withdrawn: '已撤回' };
const ITEM_FIELDS = 'documentId headline body author phone state returnReason createdAt';

function itemForm(item, onDone) {
  const fields = [
    ['headline', '标题', 'input'],
    ['body', '正文', 'textarea'],
    ['author', '撰稿人', 'input'],
    ['phone', '联系电话', 'input'],
  ];
  const general = el('p', { class: 'field-error', role: 'alert', 'data-error-for': 'form' });
  const form = el(
    'form',
    { class: 'panel item-form', 'data-view': item === null ? 'new-item' : 'edit-item' },
    el('h2', {}, item === null ? '报送信息' : '修改后重新报送'),
    fields.map(([name, label, tag]) => [
      el('label', { for: `item-${name}` }, label),
      el(tag, { id: `item-${name}`, name, required: name === 'headline' || name === 'body' }),
      el('p', { class: 'field-error', 'data-error-for': name }),
    ]),
    general,
    el('p', {}, el('button', { type: 'submit' }, item === null ? '报送' : '重新报送'), ' ', item === null ? null : el('button', { type: 'button', class: 'secondary', onclick: () => onDone() }, '取消')),
  );
  for (const [name] of fields) form.elements[name].value = item?.[name] ?? '';
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const node of form.querySelectorAll('[data-error-for]')) node.textContent = '';
    for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
    const data = Object.fromEntries(fields.map(([name]) => [name, form.elements[name].value]));
    try {
      if (item === null) {
        await gql(`mutation($data: ItemInput!) { createItem(data: $data) { documentId } }`, { data });
      } else {
        await gql(`mutation($id: ID!, $data: ItemInput!) { updateItem(documentId: $id, data: $data) { documentId } }`, {
          id: item.documentId,
          data: { ...data, state: 'submitted' },
        });
      }
      onDone();
    } catch (error) {
      if (loginExpired(error)) return signOut('登录已过期，请重新登录。');
      const byField = error instanceof GraphQLError ? error.fieldErrors : [];
      let placed = false;
      for (const fieldError of byField) {
        const name = Array.isArray(fieldError.path) ? fieldError.path[0] : null;
        const slot = name === null ? null : form.querySelector(`[data-error-for="${CSS.escape(String(name))}"]`);
        if (slot !== null) {
          slot.textContent = fieldError.message;
          form.elements[name]?.setAttribute('aria-invalid', 'true');
          placed = true;
        }
      }
      if (!placed) general.textContent = error.message;
    }
  });
  return form;
}

// ---- an item's history (办理记录) -------------------------------------------------------------------------------------

const HISTORY_QUERY = `query($id: ID!) { itemHistory(documentId: $id) { steps { id action label officeTime actorName actorUnit detail } } }`;

/** Opens or closes the row under an item with its history: submitted, returned (why), adopted, placed, signed off. */
async function toggleHistory(row, item) {
  const next = row.nextElementSibling;
  if (next !== null && next.dataset.historyOf === item.documentId) {
    next.remove();
    return;
  }
  const cell = el('td', { colspan: 4 }, state('正在载入办理记录…'));
  row.after(el('tr', { class: 'history-row', 'data-history-of': item.documentId }, cell));
  try {
    const { itemHistory } = await gql(HISTORY_QUERY, { id: item.documentId });
    cell.replaceChildren(
      itemHistory.steps.length === 0
        ? state('还没有办理记录。', 'empty')
        : el(
            'ol',
            { class: 'timeline', 'data-view': 'item-history' },
            itemHistory.steps.map((step) =>
              el(
                'li',
                { 'data-action': step.action },
                el('span', { class: 'when' }, step.officeTime),
                ' ',
                el('strong', {}, step.label),
                step.actorName ? ` ${step.actorName}${step.actorUnit ? `（${step.actorUnit}）` : ''}` : '',
                step.detail ? el('div', { class: 'detail' }, step.detail) : null,
              ),
            ),
          ),
    );
  } catch (error) {
    cell.replaceChildren(state(error.message || '无法载入办理记录', 'error'));
  }
}

async function renderDesk(editing = null) {
  const data = await gql(`{ items(sort: "createdAt:desc", pagination: { pageSize: 100 }) { ${ITEM_FIELDS} } }`);
  const items = data.items;
  const reload = () => renderDesk().catch(failed);
  const table = el(
    'table',
    { class: 'items-table', 'data-view': 'my-items' },
    el('thead', {}, el('tr', {}, el('th', {}, '标题'), el('th', {}, '状态'), el('th', {}, '报送时间'), el('th', {}, ''))),
    el(
      'tbody',
      {},
      items.map((item) =>
        el(
          'tr',
          { 'data-document-id': item.documentId, 'data-state': item.state },
          el('td', {}, el('div', { class: 'headline' }, item.headline), item.state === 'returned' && item.returnReason ? el('div', { class: 'reason' }, `退回原因：${item.returnReason}`) : null),
          el('td', {}, el('span', { class: `badge ${item.state}` }, STATES[item.state] ?? item.state)),
          el('td', {}, new Date(item.createdAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })),
          el(
            'td',
            {},
            el('button', { type: 'button', class: 'secondary', 'data-action': 'history', onclick: (event) => toggleHistory(event.target.closest('tr'), item) }, '办理记录'),
            ' ',
            item.state === 'returned' ? el('button', { type: 'button', class: 'secondary', 'data-action': 'edit', onclick: () => renderDesk(item).catch(failed) }, '修改') : null,
            ' ',
            item.state === 'submitted' || item.state === 'returned'
              ? el(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    'data-action': 'withdraw',
                    onclick: async () => {
                      if (!confirm(`撤回“${item.headline}”？`)) return;
                      try {
                        await gql('mutation($id: ID!) { updateItem(documentId: $id, data: { state: withdrawn }) { documentId } }', { id: item.documentId });
                        reload();
                      } catch (error) {
                        failed(error);
                      }
                    },
                  },
                  '撤回',
                )
              : null,
          ),
        ),
      ),
    ),
  );
  show(
    editing === null ? itemForm(null, reload) : itemForm(editing, reload),
    el('section', { class: 'panel' }, el('h2', {}, '本单位报送的信息'), items.length === 0 ? state('本单位还没有报送信息。', 'empty') : table),
  );
}

// ---- routing ------------------------------------------------------------------------------------------------------------

function failed(error) {
  if (loginExpired(error)) return signOut('登录已过期，请重新登录。');
  show(el('section', { class: 'panel' }, state(error.message || '出错了，请稍后重试。', 'error')));
}

async function route() {
  const path = location.hash.replace(/^#/, '') || '/';
  let user;
  try {
    user = await currentUser();
  } catch (error) {
    if (loginExpired(error)) return signOut('登录已过期，请重新登录。');
    return failed(error);
  }
  if (user === null) return renderLogin();
  document.getElementById('nav').hidden = false;
  document.getElementById('who').textContent = `${user.username}（${user.role?.name ?? ''}）`;
  const contributor = user.role?.type === 'contributor';
  document.getElementById('desk-link').hidden = !contributor;
  try {
    const issue = /^\/issue\/([^/]+)\/(\d+)\/(\d+)(?:\/(regular|supplement|special))?$/.exec(path);
    if (issue !== null) return await renderIssue(decodeURIComponent(issue[1]), issue[2], issue[3], issue[4] ?? 'regular');
    if (path === '/desk' && contributor) return await renderDesk();
    return await renderList();
  } catch (error) {
    failed(error);
  }
}

window.addEventListener('hashchange', () => void route());
void route();
