import * as React from 'react';
import { useIntl } from 'react-intl';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import {
  Alert,
  Badge,
  Box,
  Button,
  Field,
  Flex,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  Textarea,
  TextInput,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import type {
  AccountsList,
  BlockAnswer,
  CreatedAnswer,
  DeskAccount,
  PreviewAnswer,
  ResetAnswer,
} from '../../domain/account-desk';
import accounts from '../translations/zh-Hans/accounts';

/**
 * 账号: the office's readers and contributors, for editors and super administrators. List them with unit and role,
 * add one, import a CSV (preview, then confirm; every problem with its line and column), reset a password, block or
 * unblock. One-time passwords are shown once, in a panel closed by the editor; the page keeps them nowhere. All of it
 * through the admin routes /bulletin-accounts (src/strapi/account-desk.ts), the same functions as `npm run users`.
 */

type Values = Record<string, string | number>;
type Text = (key: string, values?: Values) => string;
type Notice = { kind: 'danger' | 'success'; text: string } | null;
type Shown = { username: string; detail: string; password: string }[];

function useText(): Text {
  const { formatMessage } = useIntl();
  return React.useCallback(
    (key: string, values?: Values) => {
      const id = `bulletin.accounts.${key}`;
      return formatMessage({ id, defaultMessage: accounts[id] ?? id }, values);
    },
    [formatMessage],
  );
}

/** Strapi's FetchError: { response: { data: { error: { message, details: { errors } } } } }. */
function errorOf(error: unknown): { message: string; fields: Record<string, string> } {
  const failure = error as {
    response?: {
      data?: { error?: { message?: string; details?: { errors?: { path?: string[]; message?: string }[] } } };
    };
  };
  const body = failure.response?.data?.error;
  const fields: Record<string, string> = {};
  for (const entry of body?.details?.errors ?? []) {
    const field = entry.path?.[1];
    if (field !== undefined && entry.message !== undefined) fields[field] = entry.message;
  }
  return {
    message: typeof body?.message === 'string' && body.message !== '' ? body.message : '请求失败，请稍后重试',
    fields,
  };
}

const EMPTY_FORM = { username: '', email: '', role: 'contributor', unit: '', name: '' };

export default function AccountsPage(): React.JSX.Element {
  const t = useText();
  const { get, post } = useFetchClient();
  const [data, setData] = React.useState<AccountsList | null>(null);
  const [notice, setNotice] = React.useState<Notice>(null);
  const [shown, setShown] = React.useState<Shown>([]);
  const [form, setForm] = React.useState(EMPTY_FORM);
  const [formErrors, setFormErrors] = React.useState<Record<string, string>>({});
  const [csv, setCsv] = React.useState('');
  const [preview, setPreview] = React.useState<PreviewAnswer | null>(null);
  const [busy, setBusy] = React.useState(false);

  const load = React.useCallback(async () => {
    try {
      const res = await get<{ data: AccountsList }>('/bulletin-accounts');
      setData(res.data.data);
    } catch (error) {
      setNotice({ kind: 'danger', text: errorOf(error).message });
    }
  }, [get]);
  React.useEffect(() => {
    // Loading the list is the outside system this effect follows: load() sets the answer when it arrives.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- see above
    void load();
  }, [load]);

  const run = async (work: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setNotice(null);
    try {
      await work();
    } catch (error) {
      setNotice({ kind: 'danger', text: errorOf(error).message });
    } finally {
      setBusy(false);
    }
  };

  const showCreated = (answer: CreatedAnswer): void =>
    setShown(
      answer.created.map((entry) => ({
        username: entry.username,
        detail: [entry.roleLabel, entry.unit ?? ''].filter((part) => part !== '').join(' · '),
        password: entry.password,
      })),
    );

  const addOne = (): Promise<void> =>
    run(async () => {
      setFormErrors({});
      try {
        const res = await post<{ data: CreatedAnswer }>('/bulletin-accounts', form);
        showCreated(res.data.data);
        setForm(EMPTY_FORM);
        await load();
      } catch (error) {
        const { fields } = errorOf(error);
        setFormErrors(fields);
        throw error;
      }
    });

  const previewCsv = (): Promise<void> =>
    run(async () => {
      const res = await post<{ data: PreviewAnswer }>('/bulletin-accounts/preview', { csv });
      setPreview(res.data.data);
    });

  const confirmCsv = (): Promise<void> =>
    run(async () => {
      const res = await post<{ data: CreatedAnswer }>('/bulletin-accounts', { csv });
      showCreated(res.data.data);
      setPreview(null);
      setCsv('');
      await load();
    });

  const reset = (account: DeskAccount): Promise<void> =>
    run(async () => {
      const res = await post<{ data: ResetAnswer }>(`/bulletin-accounts/${account.id}/reset`, {});
      setShown([
        {
          username: res.data.data.username,
          detail: [account.roleLabel, account.unit ?? ''].filter((part) => part !== '').join(' · '),
          password: res.data.data.password,
        },
      ]);
    });

  const block = (account: DeskAccount): Promise<void> =>
    run(async () => {
      const res = await post<{ data: BlockAnswer }>(`/bulletin-accounts/${account.id}/block`, {
        blocked: !account.blocked,
      });
      setNotice({
        kind: 'success',
        text: t(res.data.data.blocked ? 'blocked' : 'unblocked', { username: res.data.data.username }),
      });
      await load();
    });

  const readFile = (event: React.ChangeEvent<HTMLInputElement>): void => {
    const file = event.target.files?.[0];
    if (file === undefined) return;
    void file.text().then((text) => {
      setCsv(text);
      setPreview(null);
    });
  };

  const field = (name: keyof typeof EMPTY_FORM, label: string) => (
    <Field.Root name={name} error={formErrors[name]}>
      <Field.Label>{label}</Field.Label>
      <TextInput
        value={form[name]}
        onChange={(event: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [name]: event.target.value })}
      />
      <Field.Error />
    </Field.Root>
  );

  return (
    <Page.Main>
      <Page.Title>{t('title')}</Page.Title>
      <Layouts.Header title={t('title')} subtitle={t('subtitle')} />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          {notice !== null ? (
            <Alert variant={notice.kind} closeLabel="关闭" onClose={() => setNotice(null)}>
              {notice.text}
            </Alert>
          ) : null}

          {shown.length > 0 ? (
            <Box
              background="warning100"
              borderColor="warning200"
              hasRadius
              padding={4}
              role="region"
              aria-label={t('passwords')}
            >
              <Typography variant="delta" tag="h2">
                {t('passwords')}
              </Typography>
              <Box paddingTop={1} paddingBottom={3}>
                <Typography variant="pi">{t('passwords.hint', { path: '/reader/' })}</Typography>
              </Box>
              <Table colCount={3} rowCount={shown.length + 1}>
                <Thead>
                  <Tr>
                    <Th>
                      <Typography variant="sigma">{t('column.username')}</Typography>
                    </Th>
                    <Th>
                      <Typography variant="sigma">{t('column.role')}</Typography>
                    </Th>
                    <Th>
                      <Typography variant="sigma">{t('passwords.password')}</Typography>
                    </Th>
                  </Tr>
                </Thead>
                <Tbody>
                  {shown.map((entry) => (
                    <Tr key={entry.username}>
                      <Td>
                        <Typography>{entry.username}</Typography>
                      </Td>
                      <Td>
                        <Typography>{entry.detail}</Typography>
                      </Td>
                      <Td>
                        <Typography fontWeight="bold" data-password="true" style={{ fontFamily: 'monospace' }}>
                          {entry.password}
                        </Typography>
                      </Td>
                    </Tr>
                  ))}
                </Tbody>
              </Table>
              <Box paddingTop={3}>
                <Button variant="secondary" onClick={() => setShown([])}>
                  {t('passwords.close')}
                </Button>
              </Box>
            </Box>
          ) : null}

          <Box background="neutral0" hasRadius shadow="filterShadow" padding={6}>
            <Typography variant="delta" tag="h2">
              {t('list')}
            </Typography>
            <Box paddingTop={4}>
              {data === null ? (
                <Typography>{t('loading')}</Typography>
              ) : data.accounts.length === 0 ? (
                <Typography>{t('list.empty')}</Typography>
              ) : (
                <Table colCount={6} rowCount={data.accounts.length + 1}>
                  <Thead>
                    <Tr>
                      {['username', 'role', 'unit', 'email', 'status', 'actions'].map((column) => (
                        <Th key={column}>
                          <Typography variant="sigma">{t(`column.${column}`)}</Typography>
                        </Th>
                      ))}
                    </Tr>
                  </Thead>
                  <Tbody>
                    {data.accounts.map((account) => (
                      <Tr key={account.id}>
                        <Td>
                          <Typography>{account.username}</Typography>
                        </Td>
                        <Td>
                          <Typography>{account.roleLabel}</Typography>
                        </Td>
                        <Td>
                          <Typography>{account.unit ?? ''}</Typography>
                        </Td>
                        <Td>
                          <Typography>{account.email}</Typography>
                        </Td>
                        <Td>
                          <Badge active={!account.blocked}>
                            {t(account.blocked ? 'status.blocked' : 'status.active')}
                          </Badge>
                        </Td>
                        <Td>
                          <Flex gap={2}>
                            <Button
                              size="S"
                              variant="tertiary"
                              disabled={busy}
                              onClick={() => void reset(account)}
                              aria-label={`${t('reset')} ${account.username}`}
                            >
                              {t('reset')}
                            </Button>
                            <Button
                              size="S"
                              variant={account.blocked ? 'secondary' : 'danger-light'}
                              disabled={busy}
                              onClick={() => void block(account)}
                              aria-label={`${t(account.blocked ? 'unblock' : 'block')} ${account.username}`}
                            >
                              {t(account.blocked ? 'unblock' : 'block')}
                            </Button>
                          </Flex>
                        </Td>
                      </Tr>
                    ))}
                  </Tbody>
                </Table>
              )}
            </Box>
          </Box>

          <Box background="neutral0" hasRadius shadow="filterShadow" padding={6}>
            <Typography variant="delta" tag="h2">
              {t('add')}
            </Typography>
            <Flex paddingTop={4} gap={4} alignItems="flex-start" wrap="wrap">
              {field('username', t('add.username'))}
              {field('email', t('add.email'))}
              <Field.Root name="role" error={formErrors.role}>
                <Field.Label>{t('add.role')}</Field.Label>
                <SingleSelect
                  value={form.role}
                  onChange={(value: string | number) => setForm({ ...form, role: String(value) })}
                >
                  <SingleSelectOption value="contributor">{t('role.contributor')}</SingleSelectOption>
                  <SingleSelectOption value="reader">{t('role.reader')}</SingleSelectOption>
                </SingleSelect>
                <Field.Error />
              </Field.Root>
              <Field.Root name="unit" error={formErrors.unit}>
                <Field.Label>{t('add.unit')}</Field.Label>
                <SingleSelect
                  value={form.unit}
                  onChange={(value: string | number) => setForm({ ...form, unit: String(value) })}
                >
                  <SingleSelectOption value="">{t('add.noUnit')}</SingleSelectOption>
                  {(data?.units ?? []).map((unit) => (
                    <SingleSelectOption key={unit} value={unit}>
                      {unit}
                    </SingleSelectOption>
                  ))}
                </SingleSelect>
                <Field.Error />
              </Field.Root>
              {field('name', t('add.name'))}
            </Flex>
            <Box paddingTop={4}>
              <Button disabled={busy} onClick={() => void addOne()}>
                {t('add.submit')}
              </Button>
            </Box>
          </Box>

          <Box background="neutral0" hasRadius shadow="filterShadow" padding={6}>
            <Typography variant="delta" tag="h2">
              {t('import')}
            </Typography>
            <Box paddingTop={2} paddingBottom={4}>
              <Typography variant="pi">
                {t('import.hint', {
                  columns: 'username,email,unit,role',
                  optional: 'name',
                  command: 'npm run users -- import',
                })}
              </Typography>
            </Box>
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Field.Root name="csv-file">
                <Field.Label>{t('import.file')}</Field.Label>
                <input type="file" accept=".csv,text/csv" onChange={readFile} />
              </Field.Root>
              <Field.Root name="csv">
                <Field.Label>{t('import.text')}</Field.Label>
                <Textarea
                  value={csv}
                  onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => {
                    setCsv(event.target.value);
                    setPreview(null);
                  }}
                />
              </Field.Root>
              <Flex gap={2}>
                <Button variant="secondary" disabled={busy || csv.trim() === ''} onClick={() => void previewCsv()}>
                  {t('import.preview')}
                </Button>
                {preview !== null && preview.violations.length === 0 && preview.rows.length > 0 ? (
                  <Button disabled={busy} onClick={() => void confirmCsv()}>
                    {t('import.confirm', { count: preview.rows.length })}
                  </Button>
                ) : null}
              </Flex>
              {preview !== null ? (
                <Box>
                  <Typography
                    variant="omega"
                    fontWeight="bold"
                    textColor={preview.violations.length > 0 ? 'danger600' : 'success600'}
                  >
                    {preview.violations.length > 0
                      ? t('import.problems', { count: preview.violations.length })
                      : t('import.ready', { count: preview.rows.length })}
                  </Typography>
                  {preview.violations.length > 0 ? (
                    <ul aria-label={t('import.problems', { count: preview.violations.length })}>
                      {preview.violations.map((violation) => (
                        <li key={`${violation.line}-${violation.field}-${violation.message}`}>
                          <Typography textColor="danger600">{violation.message}</Typography>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <Box paddingTop={2}>
                      <Table colCount={4} rowCount={preview.rows.length + 1}>
                        <Thead>
                          <Tr>
                            <Th>
                              <Typography variant="sigma">{t('import.line')}</Typography>
                            </Th>
                            <Th>
                              <Typography variant="sigma">{t('column.username')}</Typography>
                            </Th>
                            <Th>
                              <Typography variant="sigma">{t('column.role')}</Typography>
                            </Th>
                            <Th>
                              <Typography variant="sigma">{t('column.unit')}</Typography>
                            </Th>
                          </Tr>
                        </Thead>
                        <Tbody>
                          {preview.rows.map((row) => (
                            <Tr key={row.line}>
                              <Td>
                                <Typography>{row.line}</Typography>
                              </Td>
                              <Td>
                                <Typography>{row.username}</Typography>
                              </Td>
                              <Td>
                                <Typography>{row.roleLabel}</Typography>
                              </Td>
                              <Td>
                                <Typography>{row.unit ?? ''}</Typography>
                              </Td>
                            </Tr>
                          ))}
                        </Tbody>
                      </Table>
                    </Box>
                  )}
                </Box>
              ) : null}
            </Flex>
          </Box>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
}
