import type { Core } from '@strapi/strapi';
import { demoGroups, demoIssue, demoItems, demoUnits } from '../demo/reference-issue';
import { createsDemoAccounts } from '../domain/accounts';
import { createDemoAccounts } from './accounts';

/**
 * Demo content: the reference issue (上街信息 2020年第14期), loaded once on the first start against an empty database.
 * A marker in Strapi's core store makes it idempotent: a second start adds nothing, and an office that deletes the
 * demo never sees it come back. BULLETIN_DEMO_CONTENT=false switches it off.
 * In development (never in production) the same first start creates the demo's accounts, one per role, and prints
 * their random passwords once (src/strapi/accounts.ts).
 */

const MARKER = { type: 'core' as const, name: 'bulletin', key: 'demo-content' };

function connect(documentIds: string[]): { connect: { documentId: string }[] } {
  return { connect: documentIds.map((documentId) => ({ documentId })) };
}

function lookup(map: Map<string, string>, name: string): string {
  const documentId = map.get(name);
  if (documentId === undefined) throw new Error(`demo content refers to an unknown name: ${name}`);
  return documentId;
}

async function databaseIsEmpty(strapi: Core.Strapi): Promise<boolean> {
  const [issues, units] = await Promise.all([
    strapi.db.query('api::issue.issue').count({}),
    strapi.db.query('api::unit.unit').count({}),
  ]);
  return issues === 0 && units === 0;
}

export async function loadDemoContent(strapi: Core.Strapi): Promise<void> {
  if (!strapi.config.get('bulletin.demoContent', true)) return;
  const store = strapi.store(MARKER);
  if ((await store.get({})) !== null && (await store.get({})) !== undefined) return;
  if (!(await databaseIsEmpty(strapi))) {
    await store.set({ value: { skipped: 'database not empty', at: new Date().toISOString() } });
    return;
  }

  const accounts = await strapi.db.transaction(async () => {
    const units = new Map<string, string>();
    for (const unit of demoUnits) {
      const created = await strapi.documents('api::unit.unit').create({ data: { ...unit, active: true } });
      units.set(unit.shortName, created.documentId);
    }

    const groups = new Map<string, string>();
    for (const group of demoGroups) {
      const created = await strapi.documents('api::recipient-group.recipient-group').create({
        data: {
          name: group.name,
          sortOrder: group.sortOrder,
          description: group.description,
          units: connect(group.units.map((name) => lookup(units, name))),
        },
      });
      groups.set(group.name, created.documentId);
    }

    const recipients = (names: string[]) => names.map((name) => ({ group: lookup(groups, name) }));
    const issue = await strapi.documents('api::issue.issue').create({
      data: {
        publication: demoIssue.publication,
        edition: demoIssue.edition,
        year: demoIssue.year,
        number: demoIssue.number,
        date: demoIssue.date,
        issuer: lookup(units, demoIssue.issuer),
        columnTitle: demoIssue.columnTitle,
        columnInstallment: demoIssue.columnInstallment,
        sendTo: recipients(demoIssue.sendTo),
        distributeTo: recipients(demoIssue.distributeTo),
        editors: demoIssue.editors,
      },
    });

    let position = 0;
    for (const item of demoItems) {
      position += 1;
      await strapi.documents('api::item.item').create({
        data: {
          headline: item.headline,
          body: item.paragraphs.join('\n\n'),
          units: connect([lookup(units, item.unit)]),
          adoptionKind: 'single',
          state: 'adopted',
          issue: issue.documentId,
          position,
        },
      });
    }

    await strapi.documents('api::issue.issue').publish({ documentId: issue.documentId });
    await store.set({
      value: {
        loaded: `${demoIssue.publication} ${demoIssue.year} 第${demoIssue.number}期`,
        at: new Date().toISOString(),
      },
    });
    return createsDemoAccounts(process.env.NODE_ENV, true) ? createDemoAccounts(strapi) : [];
  });
  strapi.log.info('Demo content loaded: 上街信息 2020年第14期');
  if (accounts.length > 0) {
    // Printed once, at warn level so that no LOG_LEVEL hides it: the passwords are kept nowhere else.
    strapi.log.warn(
      [
        '演示账号（密码只显示这一次；npm run users -- reset 账号 可重设）：',
        '角色\t账号\t密码\t登录',
        ...accounts,
      ].join('\n'),
    );
  }
}
