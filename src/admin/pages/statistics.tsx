import * as React from 'react';
import styled from 'styled-components';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { Button, Controls, Message, Panel, themed } from './page-parts';

/**
 * 信息采用统计: the editors' page. Pick a period (month, quarter, year or from/to) and a publication, see the table,
 * open a unit's breakdown, print the notice (通报) or download CSV. Everything comes from the admin-authenticated
 * routes /bulletin-statistics[/csv|/notice] (src/strapi/statistics.ts): the same figures and rules as the API.
 */

type Line = {
  itemId: number;
  headline: string;
  issueLabel: string;
  issueDate: string;
  basis: string;
  pointsLabel: string;
};
type Row = {
  unitId: number;
  unitName: string;
  submitted: number;
  adopted: number;
  returned: number;
  withdrawn: number;
  rateLabel: string;
  pointsLabel: string;
  rank: number | null;
  breakdown: Line[] | null;
};
type Report = {
  publicationLabel: string;
  period: { from: string; to: string; label: string };
  visibility: 'all' | 'own' | 'ranking';
  rows: Row[];
};
type Kind = 'month' | 'quarter' | 'year' | 'range';

const Table = styled.table`
  width: 100%;
  border-collapse: collapse;
  font-size: 14px;
  th,
  td {
    padding: 8px;
    border-bottom: 1px solid ${themed('neutral150', '#eaeaef')};
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  th {
    font-size: 12px;
    color: ${themed('neutral600', '#666687')};
  }
  th.text,
  td.text {
    text-align: left;
  }
  tr.unit {
    cursor: pointer;
  }
  tr.detail td {
    background: ${themed('neutral100', '#f6f6f9')};
  }
`;

const pad = (value: number): string => String(value).padStart(2, '0');
const today = new Date();
const thisYear = today.getFullYear();
const lastMonth = new Date(thisYear, today.getMonth() - 1, 1);

function errorText(error: unknown): string {
  const response = (error as { response?: { data?: { error?: { message?: string } } } }).response;
  const message = response?.data?.error?.message;
  if (typeof message === 'string' && message !== '') return message;
  return error instanceof Error && error.message !== '' ? error.message : '请求失败';
}

const StatisticsPage = (): React.JSX.Element => {
  const { get } = useFetchClient();
  const [kind, setKind] = React.useState<Kind>('month');
  const [month, setMonth] = React.useState(`${lastMonth.getFullYear()}-${pad(lastMonth.getMonth() + 1)}`);
  const [quarterYear, setQuarterYear] = React.useState(String(thisYear));
  const [quarter, setQuarter] = React.useState('1');
  const [year, setYear] = React.useState(String(thisYear));
  const [from, setFrom] = React.useState(`${thisYear}-01-01`);
  const [to, setTo] = React.useState(`${thisYear}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`);
  const [publication, setPublication] = React.useState('');
  const [report, setReport] = React.useState<Report | null>(null);
  const [open, setOpen] = React.useState<number | null>(null);
  const [loading, setLoading] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);

  const query = React.useCallback(
    (extra: Record<string, string> = {}): string => {
      const params = new URLSearchParams();
      if (kind === 'month') params.set('month', month);
      if (kind === 'quarter') params.set('quarter', `${quarterYear}-Q${quarter}`);
      if (kind === 'year') params.set('year', year);
      if (kind === 'range') {
        params.set('from', from);
        params.set('to', to);
      }
      if (publication.trim() !== '') params.set('publication', publication.trim());
      for (const [key, value] of Object.entries(extra)) params.set(key, value);
      return params.toString();
    },
    [kind, month, quarterYear, quarter, year, from, to, publication],
  );

  const load = React.useCallback(async () => {
    setLoading(true);
    setError(null);
    setOpen(null);
    try {
      const { data } = await get<{ data: Report }>('/bulletin-statistics', { params: query({ breakdown: 'true' }) });
      setReport(data.data);
    } catch (caught) {
      setReport(null);
      setError(errorText(caught));
    } finally {
      setLoading(false);
    }
  }, [get, query]);

  React.useEffect(() => {
    // The first table once, for the default period; afterwards on 查询. load() marks the page as loading and then
    // sets the answer of the server when it arrives: the synchronisation with an outside system effects are for.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- see above
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- on mount only: later loads follow 查询, not each keystroke in the form
  }, []);

  const download = async (breakdown: boolean) => {
    setError(null);
    try {
      const { data } = await get<Blob>('/bulletin-statistics/csv', {
        params: query(breakdown ? { breakdown: 'true' } : {}),
        responseType: 'blob',
      });
      const url = URL.createObjectURL(data);
      const link = document.createElement('a');
      link.href = url;
      link.download = `信息采用统计-${report?.publicationLabel ?? ''}-${report?.period.label ?? ''}${breakdown ? '-得分明细' : ''}.csv`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (caught) {
      setError(errorText(caught));
    }
  };

  const printNotice = async (breakdown: boolean) => {
    setError(null);
    // Opened before the request so that the browser does not treat it as an unrequested pop-up.
    const target = window.open('', '_blank');
    try {
      const { data } = await get<string>('/bulletin-statistics/notice', {
        params: query(breakdown ? { breakdown: 'true' } : {}),
        responseType: 'text',
      });
      const url = URL.createObjectURL(new Blob([data], { type: 'text/html;charset=utf-8' }));
      if (target === null) window.open(url, '_blank');
      else target.location.href = url;
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (caught) {
      target?.close();
      setError(errorText(caught));
    }
  };

  const showRank = report !== null && report.rows.some((row) => row.rank !== null);

  return (
    <Page.Main>
      <Page.Title>信息采用统计</Page.Title>
      <Layouts.Header
        title="信息采用统计"
        subtitle="各单位报送、采用、退回、撤回、采用率、得分和名次；报送按报送日期，采用按签发日期（只计已签发的期）"
      />
      <Layouts.Content>
        <Panel>
          <Controls
            onSubmit={(event) => {
              event.preventDefault();
              void load();
            }}
          >
            <label>
              统计期间
              <select value={kind} onChange={(event) => setKind(event.target.value as Kind)}>
                <option value="month">月度</option>
                <option value="quarter">季度</option>
                <option value="year">年度</option>
                <option value="range">起止日期</option>
              </select>
            </label>
            {kind === 'month' && (
              <label>
                月份
                <input type="month" value={month} onChange={(event) => setMonth(event.target.value)} required />
              </label>
            )}
            {kind === 'quarter' && (
              <>
                <label>
                  年份
                  <input
                    type="number"
                    min={1949}
                    max={2999}
                    value={quarterYear}
                    onChange={(event) => setQuarterYear(event.target.value)}
                    required
                  />
                </label>
                <label>
                  季度
                  <select value={quarter} onChange={(event) => setQuarter(event.target.value)}>
                    <option value="1">第一季度</option>
                    <option value="2">第二季度</option>
                    <option value="3">第三季度</option>
                    <option value="4">第四季度</option>
                  </select>
                </label>
              </>
            )}
            {kind === 'year' && (
              <label>
                年份
                <input
                  type="number"
                  min={1949}
                  max={2999}
                  value={year}
                  onChange={(event) => setYear(event.target.value)}
                  required
                />
              </label>
            )}
            {kind === 'range' && (
              <>
                <label>
                  开始日期
                  <input type="date" value={from} onChange={(event) => setFrom(event.target.value)} required />
                </label>
                <label>
                  结束日期
                  <input type="date" value={to} onChange={(event) => setTo(event.target.value)} required />
                </label>
              </>
            )}
            <label>
              刊名
              <input
                value={publication}
                placeholder="默认刊物；* 为全部刊物"
                onChange={(event) => setPublication(event.target.value)}
                maxLength={40}
              />
            </label>
            <Button type="submit" $primary disabled={loading}>
              查询
            </Button>
            <Button type="button" disabled={report === null} onClick={() => void printNotice(false)}>
              打印通报
            </Button>
            <Button type="button" disabled={report === null} onClick={() => void printNotice(true)}>
              通报（附得分明细）
            </Button>
            <Button type="button" disabled={report === null} onClick={() => void download(false)}>
              下载 CSV
            </Button>
            <Button type="button" disabled={report === null} onClick={() => void download(true)}>
              得分明细 CSV
            </Button>
          </Controls>
          {error !== null && <Message $error>{error}</Message>}
        </Panel>
        {loading && report === null ? (
          <Page.Loading />
        ) : report === null ? null : (
          <Panel>
            <h2 style={{ fontSize: 16, fontWeight: 600, margin: '0 0 8px' }}>
              {report.publicationLabel}　{report.period.label}（{report.period.from} 至 {report.period.to}）
            </h2>
            <Table>
              <thead>
                <tr>
                  {showRank && <th>名次</th>}
                  <th className="text">单位</th>
                  <th>报送</th>
                  <th>采用</th>
                  <th>退回</th>
                  <th>撤回</th>
                  <th>采用率</th>
                  <th>得分</th>
                </tr>
              </thead>
              <tbody>
                {report.rows.map((row) => (
                  <React.Fragment key={row.unitId}>
                    <tr
                      className="unit"
                      title="点击查看得分明细"
                      onClick={() => setOpen(open === row.unitId ? null : row.unitId)}
                    >
                      {showRank && <td>{row.rank ?? '—'}</td>}
                      <td className="text">{row.unitName}</td>
                      <td>{row.submitted}</td>
                      <td>{row.adopted}</td>
                      <td>{row.returned}</td>
                      <td>{row.withdrawn}</td>
                      <td>{row.rateLabel}</td>
                      <td>{row.pointsLabel}</td>
                    </tr>
                    {open === row.unitId && (
                      <tr className="detail">
                        <td colSpan={showRank ? 8 : 7} className="text">
                          {row.breakdown === null || row.breakdown.length === 0 ? (
                            '本期间无采用'
                          ) : (
                            <Table>
                              <thead>
                                <tr>
                                  <th className="text">期</th>
                                  <th className="text">签发日期</th>
                                  <th className="text">信息标题</th>
                                  <th className="text">计分依据</th>
                                  <th>得分</th>
                                </tr>
                              </thead>
                              <tbody>
                                {row.breakdown.map((line) => (
                                  <tr key={line.itemId}>
                                    <td className="text">{line.issueLabel}</td>
                                    <td className="text">{line.issueDate}</td>
                                    <td className="text">{line.headline}</td>
                                    <td className="text">{line.basis}</td>
                                    <td>{line.pointsLabel}</td>
                                  </tr>
                                ))}
                              </tbody>
                            </Table>
                          )}
                        </td>
                      </tr>
                    )}
                  </React.Fragment>
                ))}
              </tbody>
            </Table>
            <Message>
              采用率＝采用÷报送；得分相同名次并列。点击单位查看得分明细。
              {report.visibility === 'own' && ' 您只能查看所在单位的数据；名次未公布。'}
              {report.visibility === 'ranking' && ' 您可查看公布的排名；得分明细只显示所在单位。'}
            </Message>
          </Panel>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};

export default StatisticsPage;
