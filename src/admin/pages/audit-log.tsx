import * as React from 'react';
import styled from 'styled-components';
import { useIntl } from 'react-intl';
import { useSearchParams } from 'react-router-dom';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import {
  actorKindLabel,
  CONTENT_TYPES,
  fieldLabel,
  type ChangeView,
  type DiffPart,
  type ListedEntry,
  type TimelineStep,
} from '../../domain/audit-views';
import audit from '../translations/zh-Hans/audit';
import { Button, Controls, Message, Panel, themed } from './page-parts';

/**
 * 操作日志: the audit trail, newest first, filtered by person, unit, action, document (type and a part of its name, or
 * one document from a 办理记录 panel's link) and office dates; an entry opens to show each changed field with its old
 * and new value whole and a diff. Filtered to one document, the page also shows its timeline. CSV exports the filtered
 * list. Who sees what is the server's (src/strapi/audit-views.ts): unit staff get 403, security entries only super admins.
 */

type Presented = ListedEntry & {
  actionLabel: string;
  contentTypeLabel: string;
  officeTime: string;
  security: boolean;
  title: string | null;
};
type Listing = {
  entries: Presented[];
  pagination: { page: number; pageSize: number; total: number; pageCount: number };
};
type Detail = Presented & { changeViews: ChangeView[] };
type Options = {
  actions: { action: string; label: string }[];
  types: { key: string; label: string }[];
  security: boolean;
};
type History = { documentId: string; title: string; steps: (TimelineStep & { officeTime: string })[] };

const FILTERS = ['actor', 'unit', 'action', 'type', 'documentName', 'document', 'from', 'to'] as const;
type FilterName = (typeof FILTERS)[number];

const Table = styled.table`
  width: 100%;
  border-collapse: collapse;
  font-size: 14px;
  th,
  td {
    padding: 8px;
    border-bottom: 1px solid ${themed('neutral150', '#eaeaef')};
    text-align: left;
    vertical-align: top;
  }
  th {
    font-size: 12px;
    color: ${themed('neutral600', '#666687')};
  }
  tbody tr {
    cursor: pointer;
  }
  tbody tr:hover,
  tbody tr:focus {
    background: ${themed('primary100', '#f0f0ff')};
  }
  td.time {
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }
`;
const Tag = styled.span`
  display: inline-block;
  margin-left: 6px;
  padding: 0 6px;
  border-radius: 4px;
  font-size: 12px;
  background: ${themed('danger100', '#fcecea')};
  color: ${themed('danger700', '#b72b1a')};
`;
/** The document picker in a row: the whole story of that one document (its timeline), the other filters cleared. */
const Pick = styled.button`
  margin-left: 6px;
  padding: 0 6px;
  border: 1px solid ${themed('primary200', '#d9d8ff')};
  border-radius: 4px;
  font-size: 12px;
  background: ${themed('primary100', '#f0f0ff')};
  color: ${themed('primary700', '#4945ff')};
  cursor: pointer;
`;
const DiffBox = styled.pre`
  white-space: pre-wrap;
  word-break: break-word;
  font: inherit;
  font-size: 14px;
  line-height: 1.7;
  margin: 0;
  ins {
    background: #e6ffed;
    color: #05612a;
    text-decoration: none;
  }
  del {
    background: #ffeef0;
    color: #b31d28;
  }
`;
const Timeline = styled.ol`
  list-style: none;
  margin: 0;
  padding: 0 0 0 12px;
  border-left: 2px solid ${themed('primary200', '#d9d8ff')};
  li {
    position: relative;
    padding: 0 0 12px 12px;
  }
  li::before {
    content: '';
    position: absolute;
    left: -19px;
    top: 6px;
    width: 10px;
    height: 10px;
    border-radius: 50%;
    background: ${themed('primary600', '#4945ff')};
  }
  .when {
    font-size: 12px;
    color: ${themed('neutral600', '#666687')};
  }
  .what {
    font-weight: 600;
  }
`;

function errorText(error: unknown): string {
  const response = (error as { response?: { data?: { error?: { message?: string } } } }).response;
  const message = response?.data?.error?.message;
  if (typeof message === 'string' && message !== '') return message;
  return error instanceof Error && error.message !== '' ? error.message : '请求失败';
}

/** The diff of one field: removed text struck through, added text highlighted, everything else as it is. */
export const DiffView = ({ parts }: { parts: DiffPart[] }): React.JSX.Element => (
  <DiffBox>
    {parts.map((part, index) =>
      part.kind === 'added' ? (
        <ins key={index}>{part.text}</ins>
      ) : part.kind === 'removed' ? (
        <del key={index}>{part.text}</del>
      ) : (
        <span key={index}>{part.text}</span>
      ),
    )}
  </DiffBox>
);

export const TimelineView = ({ steps, empty }: { steps: History['steps']; empty: string }): React.JSX.Element =>
  steps.length === 0 ? (
    <Message>{empty}</Message>
  ) : (
    <Timeline data-view="timeline">
      {steps.map((step) => (
        <li key={`${step.id}-${step.action}`} data-action={step.action}>
          <div className="when">{step.officeTime}</div>
          <div>
            <span className="what">{step.label}</span>
            {step.actorName !== null && `　${step.actorName}${step.actorUnit === null ? '' : `（${step.actorUnit}）`}`}
          </div>
          {step.detail !== '' && <div>{step.detail}</div>}
        </li>
      ))}
    </Timeline>
  );

const AuditLogPage = (): React.JSX.Element => {
  const { formatMessage } = useIntl();
  const t = (id: string, values?: Record<string, string | number>) =>
    formatMessage({ id: `bulletin.audit.${id}`, defaultMessage: audit[`bulletin.audit.${id}`] ?? id }, values);
  const { get } = useFetchClient();
  const [params, setParams] = useSearchParams();
  const [draft, setDraft] = React.useState<Record<FilterName, string>>(
    () => Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ''])) as Record<FilterName, string>,
  );
  const [options, setOptions] = React.useState<Options | null>(null);
  const [detail, setDetail] = React.useState<Detail | null>(null);
  const [error, setError] = React.useState<string | null>(null);

  const query = React.useMemo(() => {
    const search = new URLSearchParams();
    for (const name of [...FILTERS, 'page'] as const) {
      const value = params.get(name);
      if (value !== null && value !== '') search.set(name, value);
    }
    return search.toString();
  }, [params]);

  React.useEffect(() => {
    get<Options>('/bulletin-audit/options').then(
      ({ data }) => setOptions(data),
      (failure: unknown) => setError(errorText(failure)),
    );
  }, [get]);

  // Each answer is kept with the query it answers: while a newer query is under way, the page shows it is loading.
  const [answered, setAnswered] = React.useState<{
    query: string;
    listing: Listing | null;
    error: string | null;
  } | null>(null);
  React.useEffect(() => {
    let live = true;
    get<Listing>(`/bulletin-audit/entries?${query}`).then(
      ({ data }) => live && setAnswered({ query, listing: data, error: null }),
      (failure: unknown) => live && setAnswered({ query, listing: null, error: errorText(failure) }),
    );
    return () => {
      live = false;
    };
  }, [get, query]);
  const loading = answered?.query !== query;
  const listing = answered?.listing ?? null;

  // The timeline of the one document the list is about: the one asked for, or the only one of the type filtered to.
  const type = params.get('type');
  const only = React.useMemo(() => {
    const asked = params.get('document');
    if (asked !== null && asked !== '') return asked;
    const ids = new Set((listing?.entries ?? []).map((entry) => entry.documentId));
    return ids.size === 1 ? ([...ids][0] ?? null) : null;
  }, [params, listing]);
  const historyKey =
    only !== null && (type === 'item' || type === 'issue') ? `${type}s/${encodeURIComponent(only)}` : null;
  const [fetchedHistory, setFetchedHistory] = React.useState<{ key: string; history: History | null } | null>(null);
  React.useEffect(() => {
    if (historyKey === null) return undefined;
    let live = true;
    get<History>(`/bulletin-audit/${historyKey}/history`).then(
      ({ data }) => live && setFetchedHistory({ key: historyKey, history: data }),
      () => live && setFetchedHistory({ key: historyKey, history: null }),
    );
    return () => {
      live = false;
    };
  }, [get, historyKey]);
  const history = fetchedHistory !== null && fetchedHistory.key === historyKey ? fetchedHistory.history : null;
  const shownError = error ?? answered?.error ?? null;

  const apply = (page = 1) => {
    const next = new URLSearchParams();
    for (const name of FILTERS) if (draft[name].trim() !== '') next.set(name, draft[name].trim());
    if (page > 1) next.set('page', String(page));
    setParams(next);
  };
  const pick = (entry: Presented) => {
    const key = CONTENT_TYPES[entry.contentType]?.key;
    if (key === undefined || entry.documentId === null) return;
    setDraft({
      ...(Object.fromEntries(FILTERS.map((name) => [name, ''])) as Record<FilterName, string>),
      type: key,
      document: entry.documentId,
    });
    setParams(new URLSearchParams({ type: key, document: entry.documentId }));
  };
  const goTo = (page: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(page));
    setParams(next);
  };
  const open = async (id: string) => {
    try {
      const { data } = await get<Detail>(`/bulletin-audit/entries/${id}`);
      setDetail(data);
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  const exportCsv = async () => {
    try {
      const { data: file } = await get<Blob>(`/bulletin-audit/export.csv?${query.replace(/(^|&)page=\d+/, '')}`, {
        responseType: 'blob',
      });
      const url = URL.createObjectURL(file);
      const link = document.createElement('a');
      link.href = url;
      link.download = '操作日志.csv';
      link.click();
      URL.revokeObjectURL(url);
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  const field = (name: FilterName, label: string, input: React.ReactNode) => (
    <label htmlFor={`audit-${name}`}>
      {label}
      {input}
    </label>
  );
  const text = (name: FilterName, placeholder?: string) => (
    <input
      id={`audit-${name}`}
      value={draft[name]}
      placeholder={placeholder}
      onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
    />
  );

  return (
    <Page.Main>
      <Page.Title>{t('title')}</Page.Title>
      <Layouts.Header title={t('title')} subtitle={t('subtitle')} />
      <Layouts.Content>
        <Panel>
          <Controls
            onSubmit={(event) => {
              event.preventDefault();
              apply();
            }}
          >
            {field('actor', t('filter.actor'), text('actor'))}
            {field('unit', t('filter.unit'), text('unit'))}
            {field(
              'action',
              t('filter.action'),
              <select
                id="audit-action"
                value={draft.action}
                onChange={(event) => setDraft({ ...draft, action: event.target.value })}
              >
                <option value="">{t('filter.allActions')}</option>
                {(options?.actions ?? []).map((option) => (
                  <option key={option.action} value={option.action}>
                    {option.label}
                  </option>
                ))}
              </select>,
            )}
            {field(
              'type',
              t('filter.type'),
              <select
                id="audit-type"
                value={draft.type}
                onChange={(event) => setDraft({ ...draft, type: event.target.value })}
              >
                <option value="">{t('filter.allTypes')}</option>
                {(options?.types ?? []).map((option) => (
                  <option key={option.key} value={option.key}>
                    {option.label}
                  </option>
                ))}
              </select>,
            )}
            {field('documentName', t('filter.document'), text('documentName', t('filter.documentPlaceholder')))}
            {field(
              'from',
              t('filter.from'),
              <input
                id="audit-from"
                type="date"
                value={draft.from}
                onChange={(event) => setDraft({ ...draft, from: event.target.value })}
              />,
            )}
            {field(
              'to',
              t('filter.to'),
              <input
                id="audit-to"
                type="date"
                value={draft.to}
                onChange={(event) => setDraft({ ...draft, to: event.target.value })}
              />,
            )}
            {draft.document !== '' && (
              <label className="inline">
                {t('filter.onlyDocument')}
                <input
                  value={history !== null && history.documentId === draft.document ? history.title : draft.document}
                  title={draft.document}
                  readOnly
                  aria-readonly="true"
                />
              </label>
            )}
            <Button type="submit" $primary disabled={loading}>
              {t('filter.search')}
            </Button>
            <Button
              type="button"
              onClick={() => {
                setDraft(Object.fromEntries(FILTERS.map((name) => [name, ''])) as Record<FilterName, string>);
                setParams(new URLSearchParams());
              }}
            >
              {t('filter.clear')}
            </Button>
            <Button type="button" onClick={() => void exportCsv()}>
              {t('export')}
            </Button>
          </Controls>
          {shownError !== null && <Message $error>{shownError}</Message>}
        </Panel>
        {history !== null && (
          <Panel data-view="history">
            <h2 style={{ fontSize: 16, fontWeight: 600, margin: '0 0 12px' }}>
              {t('timeline')}：{history.title}
            </h2>
            <TimelineView steps={history.steps} empty={t('panel.empty')} />
          </Panel>
        )}
        {detail !== null && (
          <Panel data-view="detail" role="region" aria-label={t('detail.title')}>
            <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
              <h2 style={{ fontSize: 16, fontWeight: 600, margin: 0 }}>
                {detail.officeTime}　{detail.actionLabel}　{detail.contentTypeLabel}
                {detail.title !== null ? `「${detail.title}」` : ''}
              </h2>
              <Button type="button" onClick={() => setDetail(null)}>
                {t('detail.close')}
              </Button>
            </div>
            <Message>
              {t('column.actor')}：{detail.actorName ?? detail.actorId ?? ''}
              {detail.actorUnit !== null ? `（${detail.actorUnit}）` : ''}　{t('detail.via')}：
              {actorKindLabel(detail.actorKind)}
              {detail.address !== null ? `　${t('detail.address')}：${detail.address}` : ''}
              {detail.userAgent !== null ? `　${t('detail.userAgent')}：${detail.userAgent}` : ''}
            </Message>
            {detail.changeViews.length === 0 ? (
              <Message>{t('detail.noChanges')}</Message>
            ) : (
              <Table style={{ marginTop: 12 }}>
                <thead>
                  <tr>
                    <th style={{ width: 100 }}>{t('detail.field')}</th>
                    <th>{t('detail.diff')}</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.changeViews.map((change) => (
                    <tr key={change.field} data-field={change.field} style={{ cursor: 'default' }}>
                      <td>{change.label}</td>
                      <td>
                        <DiffView parts={change.diff} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </Panel>
        )}
        <Panel>
          {listing === null ? (
            loading ? (
              <Page.Loading />
            ) : null
          ) : listing.entries.length === 0 ? (
            <Message>{t('empty')}</Message>
          ) : (
            <>
              <Table data-view="entries">
                <thead>
                  <tr>
                    <th>{t('column.time')}</th>
                    <th>{t('column.action')}</th>
                    <th>{t('column.document')}</th>
                    <th>{t('column.actor')}</th>
                    <th>{t('column.unit')}</th>
                    <th>{t('column.fields')}</th>
                  </tr>
                </thead>
                <tbody>
                  {listing.entries.map((entry) => (
                    <tr
                      key={entry.id}
                      data-entry={entry.id}
                      data-action={entry.action}
                      tabIndex={0}
                      onClick={() => void open(entry.id)}
                      onKeyDown={(event) => {
                        if (event.key === 'Enter' || event.key === ' ') {
                          event.preventDefault();
                          void open(entry.id);
                        }
                      }}
                    >
                      <td className="time">{entry.officeTime}</td>
                      <td>
                        {entry.actionLabel}
                        {entry.security && <Tag>{t('security')}</Tag>}
                      </td>
                      <td>
                        {entry.contentTypeLabel}
                        {entry.title !== null ? `「${entry.title}」` : ''}
                        {entry.documentId !== null &&
                          entry.documentId !== only &&
                          CONTENT_TYPES[entry.contentType] !== undefined && (
                            <Pick
                              type="button"
                              data-pick={entry.documentId}
                              onClick={(event) => {
                                event.stopPropagation();
                                pick(entry);
                              }}
                              onKeyDown={(event) => event.stopPropagation()}
                            >
                              {t('column.onlyThis')}
                            </Pick>
                          )}
                      </td>
                      <td>{entry.actorName ?? entry.actorId ?? ''}</td>
                      <td>{entry.actorUnit ?? ''}</td>
                      <td>{Object.keys(entry.changes).map(fieldLabel).join('、')}</td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <div style={{ display: 'flex', gap: 12, alignItems: 'center', marginTop: 12 }}>
                <Button
                  type="button"
                  disabled={listing.pagination.page <= 1}
                  onClick={() => goTo(listing.pagination.page - 1)}
                >
                  {t('previous')}
                </Button>
                <span>
                  {t('total', {
                    total: listing.pagination.total,
                    page: listing.pagination.page,
                    pageCount: Math.max(1, listing.pagination.pageCount),
                  })}
                </span>
                <Button
                  type="button"
                  disabled={listing.pagination.page >= listing.pagination.pageCount}
                  onClick={() => goTo(listing.pagination.page + 1)}
                >
                  {t('next')}
                </Button>
              </div>
            </>
          )}
        </Panel>
      </Layouts.Content>
    </Page.Main>
  );
};

export default AuditLogPage;
