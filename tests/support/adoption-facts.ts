import type { AdoptionFact } from '../../src/domain/statistics';

/** One adoption, as the statistics query reports it: 区人社局's single item in 上街信息 2020年第14期, unless overridden. */
export const aFact = (overrides: Partial<AdoptionFact> = {}): AdoptionFact => ({
  unitId: 1,
  unitName: '区人社局',
  itemId: 1,
  itemHeadline: '我区召开新冠肺炎疫情防控领导小组会议',
  issueId: 14,
  issueLabel: '上街信息 2020年第14期',
  issueDate: '2020-02-19',
  publication: '上街信息',
  edition: 'regular',
  adoptionKind: 'single',
  unitCount: 1,
  ...overrides,
});
