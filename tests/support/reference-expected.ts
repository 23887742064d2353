/**
 * What the reference issue (上街信息 2020年第14期, ../shared/reference) prints, written out by hand from it: the
 * expectation tests hold the app's output to, kept apart from the demo content the app is seeded with.
 */
export const REFERENCE_HEADLINES = [
  '我区召开新冠肺炎疫情防控领导小组会议',
  '区人社局开通创业担保贷款“绿色通道”',
  '我区积极为通航企业复工复产“保驾护航”',
  '峡窝镇电子指挥调度系统上线助力疫情防控',
  '矿山街道联手周边乡镇共战疫情',
  '区文化馆开展“慕课”进万家活动',
];

/** Each item's attribution as printed, in order: none for the issuer's own first item. */
export const REFERENCE_ATTRIBUTIONS = [
  '',
  '（区人社局）',
  '（通航试验区管委会）',
  '（峡窝镇）',
  '（矿山街道）',
  '（区文广旅局）',
];

/** The attributions that are printed at all. */
export const PRINTED_ATTRIBUTIONS = REFERENCE_ATTRIBUTIONS.filter((attribution) => attribution !== '');
