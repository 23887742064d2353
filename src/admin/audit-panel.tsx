import * as React from 'react';
import { Link } from 'react-router-dom';
import { useIntl } from 'react-intl';
import { useFetchClient } from '@strapi/strapi/admin';
import type { TimelineStep } from '../domain/audit-views';
import audit from './translations/zh-Hans/audit';

/**
 * The side panel on an item's and an issue's edit view (content manager side panels): its history as a timeline —
 * for an item 办理记录 (submitted, returned with the reason, resubmitted, adopted, placed, signed off), for an issue
 * what changed between versions, who signed it off, withdrew and signed it again — and a link to 操作日志 filtered to
 * it. From the admin route /bulletin-audit/{items|issues}/:documentId/history; unit staff get 403 and see nothing. On
 * an issue, above the history, its 阅读情况: who of those it is sent to has read it and who has not yet.
 */

type Versioned = { updatedAt?: unknown; publishedAt?: unknown; status?: unknown };
type PanelProps = {
  model: string;
  documentId?: string;
  document?: Versioned;
  meta?: { availableStatus?: Versioned[] };
};

/**
 * What changes when the document is saved, signed off or withdrawn (its draft's and versions' times and status): the
 * panel asks the server again then, so a sign-off shows in it at once, not on the next visit.
 */
const versionOf = (document: Versioned | undefined, versions: Versioned[] | undefined): string =>
  JSON.stringify([
    document?.updatedAt,
    document?.publishedAt,
    document?.status,
    versions?.map((v) => [v.updatedAt, v.publishedAt]),
  ]);
type Reader = { name: string | null; unit: string | null };
type Reading = { signedOff: boolean; read: (Reader & { officeTime: string })[]; notYetRead: Reader[] };
type History = { steps: (TimelineStep & { officeTime: string })[] };

const KINDS: Partial<Record<string, 'item' | 'issue'>> = { 'api::item.item': 'item', 'api::issue.issue': 'issue' };

const HistoryList = ({
  kind,
  documentId,
  version,
}: {
  kind: 'item' | 'issue';
  documentId: string;
  version: string;
}): React.JSX.Element | null => {
  const { formatMessage } = useIntl();
  const text = (id: string) => formatMessage({ id, defaultMessage: audit[id] ?? id });
  const { get } = useFetchClient();
  const [history, setHistory] = React.useState<History | null | 'refused'>(null);
  React.useEffect(() => {
    let live = true;
    get<History>(`/bulletin-audit/${kind}s/${encodeURIComponent(documentId)}/history`).then(
      ({ data }) => live && setHistory(data),
      () => live && setHistory('refused'),
    );
    return () => {
      live = false;
    };
  }, [get, kind, documentId, version]);
  if (history === 'refused') return null;
  if (history === null) return <span style={{ fontSize: 12 }}>{text('bulletin.audit.loading')}</span>;
  return (
    <div
      data-view="history-panel"
      style={{ display: 'flex', flexDirection: 'column', gap: 8, width: '100%', fontSize: 13 }}
    >
      {history.steps.length === 0 ? (
        <span>{text('bulletin.audit.panel.empty')}</span>
      ) : (
        <ol style={{ listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 8 }}>
          {history.steps.map((step) => (
            <li
              key={`${step.id}-${step.action}`}
              data-action={step.action}
              style={{ borderLeft: '2px solid #d9d8ff', paddingLeft: 8 }}
            >
              <div style={{ fontSize: 12, color: '#666687' }}>{step.officeTime}</div>
              <div>
                <strong>{step.label}</strong>
                {step.actorName !== null ? `　${step.actorName}` : ''}
              </div>
              {step.detail !== '' && <div style={{ wordBreak: 'break-word' }}>{step.detail}</div>}
            </li>
          ))}
        </ol>
      )}
      <Link to={`/bulletin-audit?type=${kind}&document=${encodeURIComponent(documentId)}`}>
        {text('bulletin.audit.panel.all')}
      </Link>
    </div>
  );
};

const who = (reader: Reader, noUnit: string): string => `${reader.unit ?? noUnit}　${reader.name ?? '—'}`;

/**
 * An issue's 阅读情况: of the accounts it is sent to, who has opened it (with when) and who has not, the not-yet first
 * (the signer's reason to look). From /bulletin-audit/issues/:documentId/reads; nothing for those refused.
 */
const ReadingList = ({ documentId, version }: { documentId: string; version: string }): React.JSX.Element | null => {
  const { formatMessage } = useIntl();
  const text = (id: string, values?: Record<string, number>) =>
    formatMessage({ id, defaultMessage: audit[id] ?? id }, values);
  const { get } = useFetchClient();
  const [reading, setReading] = React.useState<Reading | null | 'refused'>(null);
  React.useEffect(() => {
    let live = true;
    get<Reading>(`/bulletin-audit/issues/${encodeURIComponent(documentId)}/reads`).then(
      ({ data }) => live && setReading(data),
      () => live && setReading('refused'),
    );
    return () => {
      live = false;
    };
  }, [get, documentId, version]);
  if (reading === 'refused' || reading === null) return null;
  const noUnit = text('bulletin.audit.reads.noUnit');
  const total = reading.read.length + reading.notYetRead.length;
  return (
    <section
      data-view="reading-panel"
      style={{
        display: 'flex',
        flexDirection: 'column',
        gap: 6,
        width: '100%',
        fontSize: 13,
        paddingBottom: 8,
        borderBottom: '1px solid #eaeaef',
      }}
    >
      <strong>{text('bulletin.audit.reads.title')}</strong>
      {!reading.signedOff ? (
        <span>{text('bulletin.audit.reads.draft')}</span>
      ) : total === 0 ? (
        <span>{text('bulletin.audit.reads.nobody')}</span>
      ) : (
        <>
          <span data-view="reading-summary">
            {text('bulletin.audit.reads.summary', {
              total,
              read: reading.read.length,
              unread: reading.notYetRead.length,
            })}
          </span>
          <div>{text('bulletin.audit.reads.unread')}</div>
          {reading.notYetRead.length === 0 ? (
            <span>{text('bulletin.audit.reads.allRead')}</span>
          ) : (
            <ul data-view="not-yet-read" style={{ margin: 0, paddingLeft: 16 }}>
              {reading.notYetRead.map((reader, index) => (
                <li key={`${index}-${reader.name ?? ''}`}>{who(reader, noUnit)}</li>
              ))}
            </ul>
          )}
          {reading.read.length > 0 && (
            <>
              <div>{text('bulletin.audit.reads.read')}</div>
              <ul data-view="has-read" style={{ margin: 0, paddingLeft: 16 }}>
                {reading.read.map((reader, index) => (
                  <li key={`${index}-${reader.name ?? ''}`}>
                    {who(reader, noUnit)}
                    <div style={{ fontSize: 12, color: '#666687' }}>{reader.officeTime}</div>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
};

export const AuditPanel = ({
  model,
  documentId,
  document,
  meta,
}: PanelProps): { title: string; content: React.ReactNode } | null => {
  const kind = KINDS[model];
  if (kind === undefined || documentId === undefined || documentId === '') return null;
  const version = versionOf(document, meta?.availableStatus);
  return {
    title: audit[kind === 'item' ? 'bulletin.audit.panel.item' : 'bulletin.audit.panel.issue'] ?? '',
    content:
      kind === 'issue' ? (
        <div style={{ display: 'flex', flexDirection: 'column', gap: 8, width: '100%' }}>
          <ReadingList documentId={documentId} version={version} />
          <HistoryList kind={kind} documentId={documentId} version={version} />
        </div>
      ) : (
        <HistoryList kind={kind} documentId={documentId} version={version} />
      ),
  };
};
AuditPanel.type = 'bulletin-audit';
