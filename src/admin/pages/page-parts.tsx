import styled from 'styled-components';

/**
 * The pieces the app's own admin pages (信息采用统计, 操作日志) share: Strapi's theme colour of that name, or the
 * light theme's value where the page is drawn without a theme; a panel, a form of labelled controls in a row, a
 * button (primary or not), a notice line (an error in red).
 */
export const themed =
  (name: string, fallback: string) =>
  ({ theme }: { theme: unknown }): string =>
    (theme as { colors?: Record<string, string> }).colors?.[name] ?? fallback;

export const Panel = styled.div`
  background: ${themed('neutral0', '#fff')};
  color: ${themed('neutral800', '#32324d')};
  border-radius: 4px;
  box-shadow: 0 1px 4px rgba(33, 33, 52, 0.1);
  padding: 16px 24px;
  margin-bottom: 16px;
`;

export const Controls = styled.form`
  display: flex;
  flex-wrap: wrap;
  gap: 12px 16px;
  align-items: flex-end;
  label {
    display: flex;
    flex-direction: column;
    gap: 4px;
    font-size: 12px;
    font-weight: 600;
  }
  input,
  select {
    font: inherit;
    font-size: 14px;
    padding: 6px 8px;
    border: 1px solid ${themed('neutral200', '#dcdce4')};
    border-radius: 4px;
    background: ${themed('neutral0', '#fff')};
    color: ${themed('neutral800', '#32324d')};
  }
  label.inline {
    flex-direction: row;
    align-items: center;
    font-weight: 400;
    font-size: 14px;
  }
`;

export const Button = styled.button<{ $primary?: boolean }>`
  font: inherit;
  font-size: 14px;
  padding: 7px 14px;
  border-radius: 4px;
  cursor: pointer;
  border: 1px solid ${themed('primary600', '#4945ff')};
  background: ${(props) =>
    props.$primary === true ? themed('primary600', '#4945ff')(props) : themed('neutral0', '#fff')(props)};
  color: ${(props) => (props.$primary === true ? '#fff' : themed('primary600', '#4945ff')(props))};
  &:disabled {
    opacity: 0.5;
    cursor: default;
  }
`;

export const Message = styled.p<{ $error?: boolean }>`
  color: ${(props) =>
    props.$error === true ? themed('danger600', '#d02b20')(props) : themed('neutral600', '#666687')(props)};
  margin: 8px 0 0;
`;
