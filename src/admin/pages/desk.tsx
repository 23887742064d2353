import * as React from 'react';
import styled from 'styled-components';
import { useIntl } from 'react-intl';
import { useSearchParams } from 'react-router-dom';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { Badge, Box, Button, Dialog, Field, Flex, Textarea, Typography } from '@strapi/design-system';
import {
  excerpt,
  moveTo,
  placeAt,
  reviewQueue,
  signOffChecklist,
  tray,
  unitsOf,
  type DeskItem,
  type DeskPermissions,
  type LineCounts,
} from '../../domain/desk';
import { buildIssueRecord, type RecipientLine, type RecordInput } from '../../domain/record';
import { issueDocumentHtml } from '../../domain/issue-html';
import desk from '../translations/zh-Hans/desk';

/**
 * 编排 (the compose desk): review submitted items (采用 / 退回), keep the adopted ones in a tray, compose the issue from
 * them by drag or keyboard, see it as it prints (the same renderer as the PDF and the reader: src/domain/issue-html.ts),
 * check what the sign-off would refuse, save, sign off. Everything goes through the admin routes /bulletin-desk
 * (src/strapi/desk.ts), so the Document Service's rules apply; the rules shown live are src/domain/desk.ts.
 */

type DeskIssue = {
  documentId: string;
  version: string;
  savedBy: string | null;
  title: string;
  label: string;
  signedOff: boolean;
  head: Omit<RecordInput, 'items'>;
  lineCounts: LineCounts;
  expectedLines: RecipientLine[];
  items: DeskItem[];
  checklist: { path: string[]; message: string }[];
};
type NextIssue = {
  publication: string;
  edition: 'regular' | 'supplement' | 'special';
  year: number;
  number: number;
  label: string;
  columnTitle: string | null;
};
type DeskData = {
  permissions: DeskPermissions;
  items: DeskItem[];
  drafts: { documentId: string; title: string; label: string; date: string | null }[];
  next: NextIssue[];
  issue: DeskIssue | null;
  today: string;
};
type Notice = { kind: 'error' | 'info'; text: string } | null;
type Values = Record<string, string | number>;

const themed =
  (name: string, fallback: string) =>
  ({ theme }: { theme: unknown }): string =>
    (theme as { colors?: Record<string, string> }).colors?.[name] ?? fallback;

const Grid = styled.div`
  display: grid;
  grid-template-columns: minmax(280px, 1fr) minmax(320px, 1.1fr) minmax(360px, 1.2fr);
  gap: 16px;
  align-items: start;
`;
const Panel = styled.section`
  background: ${themed('neutral0', '#fff')};
  color: ${themed('neutral800', '#32324d')};
  border-radius: 4px;
  box-shadow: 0 1px 4px rgba(33, 33, 52, 0.1);
  padding: 12px 16px;
  margin-bottom: 16px;
  select,
  input[type='search'],
  input[type='date'] {
    font: inherit;
    font-size: 13px;
    padding: 5px 6px;
    border: 1px solid ${themed('neutral200', '#dcdce4')};
    border-radius: 4px;
    background: ${themed('neutral0', '#fff')};
    color: ${themed('neutral800', '#32324d')};
    min-width: 0;
  }
  label {
    display: flex;
    flex-direction: column;
    gap: 2px;
    font-size: 12px;
    font-weight: 600;
  }
`;
const Filters = styled.div`
  display: flex;
  gap: 8px;
  margin: 8px 0;
  label {
    flex: 1;
    min-width: 0;
  }
  select,
  input[type='search'] {
    width: 100%;
    box-sizing: border-box;
  }
`;
const Cards = styled.ul`
  list-style: none;
  margin: 0;
  padding: 0;
  max-height: 420px;
  overflow-y: auto;
`;
const Card = styled.li`
  border-top: 1px solid ${themed('neutral150', '#eaeaef')};
  padding: 8px 0;
  font-size: 13px;
  &[draggable='true'] {
    cursor: grab;
  }
  p {
    margin: 4px 0;
    line-height: 1.5;
  }
  .meta {
    color: ${themed('neutral600', '#666687')};
    font-size: 12px;
  }
  .full {
    white-space: pre-wrap;
  }
`;
const Composed = styled.ol<{ $over: boolean }>`
  list-style: none;
  margin: 8px 0;
  padding: 8px;
  min-height: 80px;
  border: 2px dashed
    ${(props) => (props.$over ? themed('primary600', '#4945ff')(props) : themed('neutral200', '#dcdce4')(props))};
  border-radius: 4px;
  li {
    display: flex;
    align-items: center;
    gap: 6px;
    padding: 6px;
    border-radius: 4px;
    font-size: 13px;
    background: ${themed('neutral100', '#f6f6f9')};
    margin-bottom: 6px;
  }
  li:focus {
    outline: 2px solid ${themed('primary600', '#4945ff')};
  }
  li .headline {
    flex: 1;
  }
  li .handle {
    cursor: grab;
    user-select: none;
  }
  li button.small {
    font: inherit;
    font-size: 12px;
    padding: 2px 6px;
    border: 1px solid ${themed('neutral200', '#dcdce4')};
    border-radius: 4px;
    background: ${themed('neutral0', '#fff')};
    color: ${themed('neutral800', '#32324d')};
    cursor: pointer;
  }
  li button.small:disabled {
    opacity: 0.4;
    cursor: default;
  }
`;
const Checklist = styled.ul`
  margin: 4px 0 8px;
  padding-left: 20px;
  font-size: 13px;
  color: ${themed('danger600', '#d02b20')};
`;
const PreviewScroll = styled.div`
  max-height: 1100px;
  overflow-y: auto;
  border: 1px solid ${themed('neutral200', '#dcdce4')};
  background: #fff;
`;

/** The width of the printed page in CSS pixels (A4, 210 mm, plus a little room): the preview is that page, scaled to fit. */
const PAGE_WIDTH = 840;

/**
 * The print preview: the standalone document the PDF prints, in a frame that runs no script (same origin only so its
 * height can be read), scaled down to the column's width.
 */
const ScaledPreview = ({ html, title }: { html: string; title: string }): React.JSX.Element => {
  const box = React.useRef<HTMLDivElement>(null);
  const frame = React.useRef<HTMLIFrameElement>(null);
  const [scale, setScale] = React.useState(0.5);
  const [height, setHeight] = React.useState(1600);
  React.useEffect(() => {
    const element = box.current;
    if (element === null) return undefined;
    const update = () => setScale(Math.min(1, element.clientWidth / PAGE_WIDTH));
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const measure = () => {
    const document = frame.current?.contentDocument;
    if (document?.documentElement) setHeight(Math.max(600, document.documentElement.scrollHeight));
  };
  return (
    <PreviewScroll ref={box}>
      <div style={{ height: height * scale, overflow: 'hidden' }}>
        <iframe
          ref={frame}
          title={title}
          srcDoc={html}
          sandbox="allow-same-origin"
          onLoad={measure}
          style={{
            width: PAGE_WIDTH,
            height,
            border: 0,
            transform: `scale(${scale})`,
            transformOrigin: '0 0',
            display: 'block',
          }}
        />
      </div>
    </PreviewScroll>
  );
};
const NoticeBar = styled.p<{ $error: boolean }>`
  margin: 0 0 12px;
  padding: 8px 12px;
  border-radius: 4px;
  font-size: 14px;
  background: ${(props) =>
    props.$error ? themed('danger100', '#fcecea')(props) : themed('success100', '#eafbe7')(props)};
  color: ${(props) => (props.$error ? themed('danger700', '#b72b1a')(props) : themed('success700', '#2f6846')(props))};
`;
const Live = styled.div`
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip: rect(0 0 0 0);
`;

type Text = (key: string, values?: Values) => string;

function useText(): Text {
  const { formatMessage } = useIntl();
  return React.useCallback(
    (key: string, values?: Values) => {
      const id = `bulletin.desk.${key}`;
      return formatMessage({ id, defaultMessage: desk[id] ?? id }, values);
    },
    [formatMessage],
  );
}

function errorOf(error: unknown): { status: number | null; message: string; details: Record<string, unknown> | null } {
  // Strapi's FetchError: { status, response: { data: { error: { status, message, details } } } }.
  const failure = error as {
    status?: number;
    response?: {
      status?: number;
      data?: { error?: { status?: number; message?: string; details?: Record<string, unknown> } };
    };
  };
  const response = failure.response;
  const message = response?.data?.error?.message;
  const status = [failure.status, response?.data?.error?.status, response?.status].find(
    (value): value is number => typeof value === 'number',
  );
  return {
    status: status ?? null,
    message: typeof message === 'string' && message !== '' ? message : '请求失败，请稍后重试',
    details: response?.data?.error?.details ?? null,
  };
}

const dateOf = (instant: string): string => (instant === '' ? '' : new Date(instant).toLocaleDateString('zh-CN'));

const DRAG_TYPE = 'application/x-bulletin-item';

const DeskPage = (): React.JSX.Element => {
  const t = useText();
  const { get, post, put } = useFetchClient();
  const [search, setSearch] = useSearchParams();
  const wanted = search.get('issue');
  const [data, setData] = React.useState<DeskData | null>(null);
  const [list, setList] = React.useState<DeskItem[]>([]);
  const [date, setDate] = React.useState<string | null>(null);
  const [dirty, setDirty] = React.useState(false);
  const [busy, setBusy] = React.useState(false);
  const [notice, setNotice] = React.useState<Notice>(null);
  const [spoken, setSpoken] = React.useState('');
  const [queueFilter, setQueueFilter] = React.useState({ unit: '', text: '' });
  const [trayFilter, setTrayFilter] = React.useState({ unit: '', text: '' });
  const [opened, setOpened] = React.useState<string | null>(null);
  const [returning, setReturning] = React.useState<DeskItem | null>(null);
  const [reason, setReason] = React.useState('');
  const [reasonError, setReasonError] = React.useState<string | null>(null);
  const [confirmSignOff, setConfirmSignOff] = React.useState(false);
  const [over, setOver] = React.useState(false);
  const [nextKey, setNextKey] = React.useState('');
  const rows = React.useRef<(HTMLLIElement | null)[]>([]);
  const focusAfter = React.useRef<number | null>(null);

  const showIssue = React.useCallback((issue: DeskIssue | null) => {
    setList(issue?.items ?? []);
    setDate(issue?.head.date ?? null);
    setDirty(false);
  }, []);

  const load = React.useCallback(
    async (issue: string | null): Promise<DeskData | null> => {
      try {
        const { data: answer } = await get<{ data: DeskData }>('/bulletin-desk', {
          params: issue === null ? {} : { issue },
        });
        setData(answer.data);
        showIssue(answer.data.issue);
        return answer.data;
      } catch (caught) {
        setNotice({ kind: 'error', text: t('error', { message: errorOf(caught).message }) });
        return null;
      }
    },
    [get, showIssue, t],
  );

  React.useEffect(() => {
    // Loading the desk is the outside system this effect follows: load() marks the page busy, then sets the answer.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- see above
    void load(wanted);
  }, [load, wanted]);

  React.useEffect(() => {
    if (focusAfter.current !== null) {
      rows.current[focusAfter.current]?.focus();
      focusAfter.current = null;
    }
  }, [list]);

  const issue = data?.issue ?? null;
  const permissions = data?.permissions;
  const editable = issue !== null && !issue.signedOff && permissions?.compose === true;
  const placed = list.map((item) => item.documentId);
  const allItems = data?.items ?? [];
  const queue = reviewQueue(allItems, queueFilter);
  const trayItems = tray(allItems, trayFilter, placed);
  const queueUnits = unitsOf(reviewQueue(allItems));
  const trayUnits = unitsOf(tray(allItems));

  const checklist =
    issue === null
      ? []
      : signOffChecklist({
          hasIssuer: issue.head.issuer !== null,
          date,
          items: list,
          lines: issue.lineCounts,
          expectedLines: issue.expectedLines,
        });
  const previewHtml = React.useMemo(() => {
    if (issue === null) return null;
    const record = buildIssueRecord({
      ...issue.head,
      date,
      items: list.map((item, index) => ({
        position: index + 1,
        section: item.section,
        headline: item.headline,
        body: item.body,
        units: item.units,
      })),
    });
    return issueDocumentHtml(record, { title: t('preview') });
  }, [issue, list, date, t]);

  const nextOptions = data?.next ?? [];
  const chosenNext =
    nextOptions.find((next) => `${next.publication}|${next.edition}` === nextKey) ?? nextOptions.at(0) ?? null;

  const change = (next: DeskItem[], focus: number | null = null, said = '') => {
    focusAfter.current = focus;
    setList(next);
    setDirty(true);
    if (said !== '') setSpoken(said);
  };
  const add = (item: DeskItem, at?: number) => change(placeAt(list, item, at), null);
  const move = (from: number, to: number) => {
    const item = list.at(from);
    if (item === undefined || from < 0 || to < 0 || to >= list.length) return;
    change(moveTo(list, from, to), to, t('moved', { headline: item.headline, position: to + 1 }));
  };
  const takeOut = (index: number) =>
    change(
      list.filter((_, each) => each !== index),
      Math.min(index, list.length - 2),
    );

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setNotice(null);
    try {
      await work();
    } finally {
      setBusy(false);
    }
  };

  /** 409: someone saved in between; the desk shows what is saved now and says who. */
  const handleFailure = (caught: unknown) => {
    const failure = errorOf(caught);
    if (failure.status === 409 && failure.details !== null && data !== null) {
      const reloaded = (failure.details.issue ?? null) as DeskIssue | null;
      setData({ ...data, issue: reloaded });
      showIssue(reloaded);
      void load(reloaded?.documentId ?? null);
    }
    setNotice({ kind: 'error', text: t('error', { message: failure.message }) });
  };

  const adopt = (item: DeskItem) =>
    act(async () => {
      try {
        await post(`/bulletin-desk/items/${item.documentId}/adopt`, {});
        if (data !== null)
          setData({
            ...data,
            items: data.items.map((each) =>
              each.documentId === item.documentId
                ? { ...each, state: 'adopted', updatedAt: new Date().toISOString() }
                : each,
            ),
          });
        setNotice({ kind: 'info', text: t('adopted', { headline: item.headline }) });
      } catch (caught) {
        handleFailure(caught);
      }
    });

  const returnItem = () => {
    const item = returning;
    if (item === null) return;
    if (reason.trim() === '') {
      setReasonError(t('return.required'));
      return;
    }
    void act(async () => {
      try {
        await post(`/bulletin-desk/items/${item.documentId}/return`, { reason: reason.trim() });
        if (data !== null)
          setData({ ...data, items: data.items.filter((each) => each.documentId !== item.documentId) });
        setReturning(null);
        setReason('');
        setNotice({ kind: 'info', text: t('returned', { headline: item.headline }) });
      } catch (caught) {
        setReasonError(errorOf(caught).message);
      }
    });
  };

  const startNext = () =>
    act(async () => {
      if (chosenNext === null) return;
      try {
        const { data: answer } = await post<{ data: DeskIssue }>('/bulletin-desk/issues', {
          publication: chosenNext.publication,
          edition: chosenNext.edition,
        });
        setSearch({ issue: answer.data.documentId });
      } catch (caught) {
        handleFailure(caught);
      }
    });

  const saveIssue = () =>
    act(async () => {
      if (issue === null) return;
      try {
        const { data: answer } = await put<{ data: DeskIssue }>(`/bulletin-desk/issues/${issue.documentId}`, {
          version: issue.version,
          items: placed,
          date,
        });
        if (data !== null)
          setData({
            ...data,
            issue: answer.data,
            items: data.items.map((each) =>
              placed.includes(each.documentId)
                ? { ...each, issue: issue.documentId }
                : each.issue === issue.documentId
                  ? { ...each, issue: null }
                  : each,
            ),
          });
        showIssue(answer.data);
        setNotice({ kind: 'info', text: t('saved') });
        void load(issue.documentId);
      } catch (caught) {
        handleFailure(caught);
      }
    });

  const signOff = () =>
    act(async () => {
      if (issue === null) return;
      setConfirmSignOff(false);
      try {
        await post(`/bulletin-desk/issues/${issue.documentId}/sign-off`, { version: issue.version });
        await load(issue.documentId);
        setNotice({ kind: 'info', text: t('signOff.done', { title: issue.title }) });
      } catch (caught) {
        handleFailure(caught);
      }
    });

  const download = (format: 'pdf' | 'docx') =>
    act(async () => {
      if (issue === null) return;
      try {
        const { data: file } = await get<Blob>(`/bulletin-desk/issues/${issue.documentId}/${format}`, {
          responseType: 'blob',
        });
        const url = URL.createObjectURL(file);
        const link = document.createElement('a');
        link.href = url;
        link.download = `草稿-${issue.title}.${format}`;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60000);
      } catch (caught) {
        handleFailure(caught);
      }
    });

  const dropAt = (event: React.DragEvent, at?: number) => {
    event.preventDefault();
    event.stopPropagation();
    setOver(false);
    if (!editable) return;
    const documentId = event.dataTransfer.getData(DRAG_TYPE) || event.dataTransfer.getData('text/plain');
    const fromList = list.findIndex((item) => item.documentId === documentId);
    if (fromList >= 0) {
      const target = at === undefined ? list.length - 1 : at > fromList ? at - 1 : at;
      change(moveTo(list, fromList, target), null);
      return;
    }
    const item = allItems.find((each) => each.documentId === documentId);
    if (item !== undefined) add(item, at);
  };
  const dragStart = (event: React.DragEvent, item: DeskItem) => {
    event.dataTransfer.setData(DRAG_TYPE, item.documentId);
    event.dataTransfer.setData('text/plain', item.documentId);
    event.dataTransfer.effectAllowed = 'move';
  };

  const unitFilter = (units: string[], value: string, set: (unit: string) => void) => (
    <label>
      {t('filter.unit')}
      <select value={value} onChange={(event) => set(event.target.value)}>
        <option value="">{t('filter.allUnits')}</option>
        {units.map((unit) => (
          <option key={unit} value={unit}>
            {unit}
          </option>
        ))}
      </select>
    </label>
  );

  if (data === null) {
    return (
      <Page.Main>
        <Page.Title>{t('title')}</Page.Title>
        <Layouts.Header title={t('title')} subtitle={t('subtitle')} />
        <Layouts.Content>
          {notice === null ? <Page.Loading /> : <NoticeBar $error>{notice.text}</NoticeBar>}
        </Layouts.Content>
      </Page.Main>
    );
  }

  return (
    <Page.Main>
      <Page.Title>{t('title')}</Page.Title>
      <Layouts.Header title={t('title')} subtitle={t('subtitle')} />
      <Layouts.Content>
        <Live aria-live="polite">{spoken}</Live>
        {notice !== null && (
          <NoticeBar $error={notice.kind === 'error'} role={notice.kind === 'error' ? 'alert' : 'status'}>
            {notice.text}
          </NoticeBar>
        )}
        <Grid>
          <div>
            <Panel aria-labelledby="desk-queue">
              <Typography id="desk-queue" variant="delta" tag="h2">
                {t('queue')}（{queue.length}）
              </Typography>
              <Filters>
                {unitFilter(queueUnits, queueFilter.unit, (unit) => setQueueFilter({ ...queueFilter, unit }))}
                <label>
                  {t('filter.text')}
                  <input
                    type="search"
                    value={queueFilter.text}
                    placeholder={t('filter.textPlaceholder')}
                    onChange={(event) => setQueueFilter({ ...queueFilter, text: event.target.value })}
                  />
                </label>
              </Filters>
              <Cards data-part="queue">
                {queue.length === 0 && <Card>{t('queue.empty')}</Card>}
                {queue.map((item) => (
                  <Card key={item.documentId} data-item={item.headline}>
                    <Typography fontWeight="bold">{item.headline}</Typography>
                    <p className="meta">
                      {item.units.join('、')} · {t('item.submitter')}：{item.submitter ?? '—'} · {t('item.submitted')}{' '}
                      {dateOf(item.createdAt)}
                    </p>
                    <p className={opened === item.documentId ? 'full' : undefined}>
                      {opened === item.documentId ? item.body : excerpt(item.body)}
                    </p>
                    <Flex gap={2}>
                      <Button
                        size="S"
                        variant="success"
                        disabled={busy || permissions?.review !== true}
                        onClick={() => void adopt(item)}
                      >
                        {t('adopt')}
                      </Button>
                      <Button
                        size="S"
                        variant="danger-light"
                        disabled={busy || permissions?.review !== true}
                        onClick={() => {
                          setReturning(item);
                          setReason('');
                          setReasonError(null);
                        }}
                      >
                        {t('return')}
                      </Button>
                      <Button
                        size="S"
                        variant="tertiary"
                        onClick={() => setOpened(opened === item.documentId ? null : item.documentId)}
                      >
                        {opened === item.documentId ? t('item.fold') : t('item.read')}
                      </Button>
                    </Flex>
                  </Card>
                ))}
              </Cards>
            </Panel>
            <Panel aria-labelledby="desk-tray">
              <Typography id="desk-tray" variant="delta" tag="h2">
                {t('tray')}（{trayItems.length}）
              </Typography>
              <Filters>
                {unitFilter(trayUnits, trayFilter.unit, (unit) => setTrayFilter({ ...trayFilter, unit }))}
                <label>
                  {t('filter.text')}
                  <input
                    type="search"
                    value={trayFilter.text}
                    placeholder={t('filter.textPlaceholder')}
                    onChange={(event) => setTrayFilter({ ...trayFilter, text: event.target.value })}
                  />
                </label>
              </Filters>
              <Cards data-part="tray">
                {trayItems.length === 0 && <Card>{t('tray.empty')}</Card>}
                {trayItems.map((item) => (
                  <Card
                    key={item.documentId}
                    data-item={item.headline}
                    draggable={editable}
                    onDragStart={(event) => dragStart(event, item)}
                  >
                    <Flex justifyContent="space-between" gap={2} alignItems="flex-start">
                      <div>
                        <Typography fontWeight="bold">{item.headline}</Typography>
                        <p className="meta">
                          {item.units.join('、')}{' '}
                          {item.adoptionKind === 'combined' && <Badge>{t('item.combined')}</Badge>} ·{' '}
                          {t('item.adopted')} {dateOf(item.updatedAt)}
                        </p>
                      </div>
                      <Button
                        size="S"
                        variant="secondary"
                        disabled={!editable}
                        onClick={() => add(item)}
                        aria-label={`${t('add')}：${item.headline}`}
                      >
                        {t('add')}
                      </Button>
                    </Flex>
                  </Card>
                ))}
              </Cards>
            </Panel>
          </div>

          <div>
            <Panel aria-labelledby="desk-issue">
              <Typography id="desk-issue" variant="delta" tag="h2">
                {t('issue')}
                {issue !== null && `：${issue.title}`}
              </Typography>
              <Flex gap={2} wrap="wrap" alignItems="flex-end" paddingTop={2}>
                <label>
                  {t('issue.pick')}
                  <select
                    value={issue?.documentId ?? ''}
                    onChange={(event) => {
                      if (dirty && !window.confirm(t('unsaved'))) return;
                      setSearch(event.target.value === '' ? {} : { issue: event.target.value });
                    }}
                  >
                    <option value="">{t('issue.none')}</option>
                    {issue !== null && !data.drafts.some((draft) => draft.documentId === issue.documentId) && (
                      <option value={issue.documentId}>{issue.title}</option>
                    )}
                    {data.drafts.map((draft) => (
                      <option key={draft.documentId} value={draft.documentId}>
                        {draft.title}
                      </option>
                    ))}
                  </select>
                </label>
                {permissions?.compose === true && chosenNext !== null && (
                  <>
                    <label>
                      {t('issue.publication')} · {t('issue.edition')}
                      <select
                        value={`${chosenNext.publication}|${chosenNext.edition}`}
                        onChange={(event) => setNextKey(event.target.value)}
                      >
                        {nextOptions.map((next) => (
                          <option
                            key={`${next.publication}|${next.edition}`}
                            value={`${next.publication}|${next.edition}`}
                          >
                            {next.publication} {t(`edition.${next.edition}`)}
                          </option>
                        ))}
                      </select>
                    </label>
                    <Button variant="secondary" disabled={busy} onClick={() => void startNext()}>
                      {t('issue.next', { label: chosenNext.label })}
                    </Button>
                  </>
                )}
              </Flex>

              {issue === null ? (
                <p>{t('issue.choose')}</p>
              ) : (
                <>
                  <Flex gap={3} alignItems="flex-end" paddingTop={2} paddingBottom={2} wrap="wrap">
                    <label>
                      {t('issue.date')}
                      <input
                        type="date"
                        value={date ?? ''}
                        disabled={!editable}
                        onChange={(event) => {
                          setDate(event.target.value === '' ? null : event.target.value);
                          setDirty(true);
                        }}
                      />
                    </label>
                    <Typography variant="pi" textColor="neutral600">
                      {issue.head.issuer?.fullName ?? issue.head.issuer?.shortName ?? ''} ·{' '}
                      {t('issue.count', { count: list.length })}
                      {dirty && ` · ${t('unsaved')}`}
                    </Typography>
                  </Flex>
                  {issue.signedOff && <NoticeBar $error={false}>{t('issue.signedOff')}</NoticeBar>}
                  {editable && (
                    <Typography variant="pi" textColor="neutral600">
                      {t('move.hint')}
                    </Typography>
                  )}
                  <Composed
                    $over={over}
                    data-part="composed"
                    onDragOver={(event) => {
                      if (!editable) return;
                      event.preventDefault();
                      setOver(true);
                    }}
                    onDragLeave={() => setOver(false)}
                    onDrop={(event) => dropAt(event)}
                  >
                    {list.length === 0 && <Box padding={2}>{t('issue.empty')}</Box>}
                    {list.map((item, index) => (
                      <li
                        key={item.documentId}
                        ref={(element) => {
                          rows.current[index] = element;
                        }}
                        tabIndex={0}
                        data-item={item.headline}
                        aria-label={`${index + 1}. ${item.headline}`}
                        draggable={editable}
                        onDragStart={(event) => dragStart(event, item)}
                        onDragOver={(event) => {
                          if (editable) event.preventDefault();
                        }}
                        onDrop={(event) => dropAt(event, index)}
                        onKeyDown={(event) => {
                          if (!editable || event.target !== event.currentTarget) return;
                          if (event.key === 'ArrowUp') {
                            event.preventDefault();
                            move(index, index - 1);
                          } else if (event.key === 'ArrowDown') {
                            event.preventDefault();
                            move(index, index + 1);
                          } else if (event.key === 'Delete' || event.key === 'Backspace') {
                            event.preventDefault();
                            takeOut(index);
                          }
                        }}
                      >
                        <span
                          className="handle"
                          aria-hidden="true"
                          title={t('move.handle', { headline: item.headline })}
                        >
                          ⠿
                        </span>
                        <span>{index + 1}.</span>
                        <span className="headline">
                          {item.headline}
                          <span className="meta">（{item.units.join('、')}）</span>
                        </span>
                        <button
                          type="button"
                          className="small"
                          disabled={!editable || index === 0}
                          onClick={() => move(index, index - 1)}
                          aria-label={`${t('move.up')}：${item.headline}`}
                        >
                          ↑
                        </button>
                        <button
                          type="button"
                          className="small"
                          disabled={!editable || index === list.length - 1}
                          onClick={() => move(index, index + 1)}
                          aria-label={`${t('move.down')}：${item.headline}`}
                        >
                          ↓
                        </button>
                        <button
                          type="button"
                          className="small"
                          disabled={!editable}
                          onClick={() => takeOut(index)}
                          aria-label={`${t('move.out')}：${item.headline}`}
                        >
                          {t('move.out')}
                        </button>
                      </li>
                    ))}
                  </Composed>
                  <Flex gap={2} wrap="wrap">
                    {permissions?.compose === true && (
                      <Button disabled={busy || !dirty || !editable} onClick={() => void saveIssue()}>
                        {t('save')}
                      </Button>
                    )}
                    <Button variant="secondary" disabled={busy} onClick={() => void download('pdf')}>
                      {t('pdf')}
                    </Button>
                    <Button variant="secondary" disabled={busy} onClick={() => void download('docx')}>
                      {t('docx')}
                    </Button>
                  </Flex>
                </>
              )}
            </Panel>

            {issue !== null && !issue.signedOff && (
              <Panel aria-labelledby="desk-checklist" data-part="checklist">
                <Typography id="desk-checklist" variant="delta" tag="h2">
                  {t('checklist')}
                </Typography>
                {checklist.length === 0 && !dirty ? (
                  <p>{t('checklist.ok')}</p>
                ) : (
                  <Checklist>
                    {checklist.map((line) => (
                      <li key={`${line.path.join('.')}:${line.message}`}>{line.message}</li>
                    ))}
                    {dirty && <li>{t('checklist.unsaved')}</li>}
                  </Checklist>
                )}
                <Flex gap={2} alignItems="center">
                  <Button
                    variant="default"
                    disabled={busy || permissions?.signOff !== true || checklist.length > 0 || dirty}
                    onClick={() => setConfirmSignOff(true)}
                  >
                    {t('signOff')}
                  </Button>
                  {permissions?.signOff !== true && (
                    <Typography variant="pi" textColor="neutral600">
                      {t('signOff.onlySigners')}
                    </Typography>
                  )}
                </Flex>
              </Panel>
            )}
          </div>

          <Panel aria-labelledby="desk-preview">
            <Typography id="desk-preview" variant="delta" tag="h2">
              {t('preview')}
            </Typography>
            {previewHtml === null ? (
              <p>{t('preview.none')}</p>
            ) : (
              <ScaledPreview title={t('preview')} html={previewHtml} />
            )}
          </Panel>
        </Grid>

        <Dialog.Root
          open={returning !== null}
          onOpenChange={(open: boolean) => (open ? undefined : setReturning(null))}
        >
          <Dialog.Content>
            <Dialog.Header>{t('return.title')}</Dialog.Header>
            <Dialog.Body>
              <Box width="100%">
                <Typography tag="p" paddingBottom={2}>
                  {returning?.headline}
                </Typography>
                <Field.Root name="reason" error={reasonError ?? undefined} hint={t('return.reasonHint')} required>
                  <Field.Label>{t('return.reason')}</Field.Label>
                  <Textarea
                    value={reason}
                    onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => {
                      setReason(event.target.value);
                      setReasonError(null);
                    }}
                  />
                  <Field.Hint />
                  <Field.Error />
                </Field.Root>
              </Box>
            </Dialog.Body>
            <Dialog.Footer>
              <Dialog.Cancel>
                <Button variant="tertiary">{t('cancel')}</Button>
              </Dialog.Cancel>
              <Button variant="danger" disabled={busy} onClick={returnItem}>
                {t('return.confirm')}
              </Button>
            </Dialog.Footer>
          </Dialog.Content>
        </Dialog.Root>

        <Dialog.Root open={confirmSignOff} onOpenChange={setConfirmSignOff}>
          <Dialog.Content>
            <Dialog.Header>{t('signOff.title')}</Dialog.Header>
            <Dialog.Body>{t('signOff.body', { title: issue?.title ?? '' })}</Dialog.Body>
            <Dialog.Footer>
              <Dialog.Cancel>
                <Button variant="tertiary">{t('cancel')}</Button>
              </Dialog.Cancel>
              <Button variant="default" disabled={busy} onClick={() => void signOff()}>
                {t('signOff.confirm')}
              </Button>
            </Dialog.Footer>
          </Dialog.Content>
        </Dialog.Root>
      </Layouts.Content>
    </Page.Main>
  );
};

export default DeskPage;
export { DeskPage };
