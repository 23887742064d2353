import * as React from 'react';
import { Link } from 'react-router-dom';
import { useIntl } from 'react-intl';
import desk from './translations/zh-Hans/desk';

/**
 * The panel on an issue's edit view (content manager side panels): a link that opens this issue on the compose desk
 * (编排). Shown for saved issues only.
 */

type PanelProps = { model: string; documentId?: string };

const DeskLink = ({ documentId }: { documentId: string }): React.JSX.Element => {
  const { formatMessage } = useIntl();
  const text = (id: string) => formatMessage({ id, defaultMessage: desk[id] ?? id });
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 4, width: '100%' }}>
      <Link to={`/bulletin-desk?issue=${encodeURIComponent(documentId)}`} style={{ fontWeight: 600 }}>
        {text('bulletin.desk.panel.open')}
      </Link>
      <span style={{ fontSize: 12 }}>{text('bulletin.desk.panel.hint')}</span>
    </div>
  );
};

export const DeskPanel = ({ model, documentId }: PanelProps): { title: string; content: React.ReactNode } | null => {
  if (model !== 'api::issue.issue' || documentId === undefined || documentId === '') return null;
  return { title: desk['bulletin.desk.panel.title'] ?? '编排', content: <DeskLink documentId={documentId} /> };
};
DeskPanel.type = 'bulletin-desk';
