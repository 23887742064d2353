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
 * it. From the admin route /bulletin-audit/{items|issues}/:documentId/history; unit staff get 403 and see nothing.
 */

type PanelProps = { model: string; documentId?: string };
type History = { steps: (TimelineStep & { officeTime: string })[] };

const KINDS: Partial<Record<string, 'item' | 'issue'>> = { 'api::item.item': 'item', 'api::issue.issue': 'issue' };

const HistoryList = ({ kind, documentId }: { kind: 'item' | 'issue'; documentId: string }): React.JSX.Element | null => {
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
  }, [get, kind, documentId]);
  if (history === 'refused') return null;
  if (history === null) return <span style={{ fontSize: 12 }}>{text('bulletin.audit.loading')}</span>;
  return (
    <div data-view="history-panel" style={{ display: 'flex', flexDirection: 'column', gap: 8, width: '100%', fontSize: 13 }}>
      {history.steps.length === 0 ? (
        <span>{text('bulletin.audit.panel.empty')}</span>
      ) : (
        <ol style={{ listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 8 }}>
          {history.steps.map((step) => (
            <li key={`${step.id}-${step.action}`} data-action={step.action} style={{ borderLeft: '2px solid #d9d8ff', paddingLeft: 8 }}>
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
      <Link to={`/bulletin-audit?type=${kind}&document=${encodeURIComponent(documentId)}`}>{text('bulletin.audit.panel.all')}</Link>
    </div>
  );
};

export const AuditPanel = ({ model, documentId }: PanelProps): { title: string; content: React.ReactNode } | null => {
  const kind = KINDS[model];
  if (kind === undefined || documentId === undefined || documentId === '') return null;
  return {
    title: audit[kind === 'item' ? 'bulletin.audit.panel.item' : 'bulletin.audit.panel.issue'] ?? '',
    content: <HistoryList kind={kind} documentId={documentId} />,
  };
};
AuditPanel.type = 'bulletin-audit';
