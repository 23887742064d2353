/**
 * The reference issue, 上街信息 2020年第14期, as printed (tests/fixtures/shangjie-xinxi-2020-14.txt), as demo content.
 * The paragraph split by a page break (优先受理 / 小微企业的贷款申请) is rejoined; real paragraph breaks are kept
 * (paragraphs are separated by a blank line in the Markdown body). Attributions are not part of the bodies: they are
 * printed from each item's unit, and the issuing office's own first item prints none.
 */

export type DemoUnit = {
  shortName: string;
  fullName: string;
  kind: 'town' | 'subdistrict' | 'department' | 'office' | 'other';
  sortOrder: number;
};

export type DemoGroup = { name: string; units: string[]; sortOrder: number; description: string };

export type DemoItem = { headline: string; paragraphs: string[]; unit: string };

export const ISSUER = '区委办';

export const demoUnits: DemoUnit[] = [
  { shortName: '区委办', fullName: '中共上街区委办公室', kind: 'office', sortOrder: 1 },
  { shortName: '峡窝镇', fullName: '上街区峡窝镇人民政府', kind: 'town', sortOrder: 10 },
  { shortName: '矿山街道', fullName: '上街区矿山街道办事处', kind: 'subdistrict', sortOrder: 20 },
  { shortName: '济源路街道', fullName: '上街区济源路街道办事处', kind: 'subdistrict', sortOrder: 21 },
  { shortName: '新安路街道', fullName: '上街区新安路街道办事处', kind: 'subdistrict', sortOrder: 22 },
  { shortName: '工业路街道', fullName: '上街区工业路街道办事处', kind: 'subdistrict', sortOrder: 23 },
  { shortName: '中心路街道', fullName: '上街区中心路街道办事处', kind: 'subdistrict', sortOrder: 24 },
  { shortName: '区人社局', fullName: '上街区人力资源和社会保障局', kind: 'department', sortOrder: 30 },
  { shortName: '区文广旅局', fullName: '上街区文化广电和旅游局', kind: 'department', sortOrder: 31 },
  { shortName: '通航试验区管委会', fullName: '郑州航空港通用航空试验区管理委员会', kind: 'department', sortOrder: 32 },
];

export const demoGroups: DemoGroup[] = [
  { name: '区县处级领导', units: [], sortOrder: 1, description: '区县处级领导同志（按人发送）' },
  { name: '峡窝镇', units: ['峡窝镇'], sortOrder: 10, description: '峡窝镇' },
  {
    name: '各街道办事处',
    units: ['矿山街道', '济源路街道', '新安路街道', '工业路街道', '中心路街道'],
    sortOrder: 20,
    description: '全区各街道办事处',
  },
  {
    name: '区直各单位负责同志',
    units: ['区人社局', '区文广旅局', '通航试验区管委会'],
    sortOrder: 30,
    description: '区直各单位负责同志',
  },
];

export const demoIssue = {
  publication: '上街信息',
  edition: 'regular' as const,
  year: 2020,
  number: 14,
  date: '2020-02-19',
  issuer: ISSUER,
  columnTitle: '坚定信心 众志成城 坚决打赢疫情防控阻击战',
  columnInstallment: 7,
  sendTo: ['区县处级领导'],
  distributeTo: ['峡窝镇', '各街道办事处', '区直各单位负责同志'],
  editors: '郝婕 李德昭',
};

export const demoItems: DemoItem[] = [
  {
    headline: '我区召开新冠肺炎疫情防控领导小组会议',
    unit: ISSUER,
    paragraphs: [
      '2月18日晚，郑州市召开新冠肺炎疫情防控第23次调度会，传达贯彻省委常委会会议精神，部署落实省委常委、市委书记徐立毅在市疫情防控领导小组专题会议上的工作要求。',
      '随后，我区召开区新冠肺炎疫情防控领导小组会议，传达相关会议精神，安排部署我区疫情防控工作。区委书记宋洁主持会议，郑州市第12督导组组长王东，区领导耿勇军、李新军、汤晓义、虎荣鑫、赵晨阳、李献民、时旭等参加会议。',
      '会议要求，要进一步统一思想，强化责任，找差距、堵漏洞、补短板，切实做好疫情防控工作。一是深刻汲取教训，采取一切有力措施扭转被动局面。要把医院问题整改作为当前工作的重中之重，进一步压实责任，强化管理，坚持“稳、快、准”原则，逐项抓好整改落实。同时，医院要立足主责主业，积极开展医疗救治各项工作。要抓好集中隔离医学观察点的管理和服务群众工作，严格落实各项隔离措施，做好心理疏导和生活保障等工作，提供人性化服务，分批稳步推进存量消化工作。要继续抓好小区管控和居家隔离管控，坚决克服麻痹心理，毫不松懈严格落实好各项管控措施。要严格对照全市疫情防控工作考核办法，进一步加大工作力度，确保考核名次有明显提升。二是积极稳妥做好复工复产工作。科工信局、商务局等部门要加强监管，制定严格的复工方案，落实好“三个责任”。县处级领导要统筹兼顾，切实负起责任，抓好分包企业的疫情防控工作。三是正确引导社会舆论。要高度重视舆情工作，做好正面引导、情绪疏导、矛盾化解等各项工作。',
    ],
  },
  {
    headline: '区人社局开通创业担保贷款“绿色通道”',
    unit: '区人社局',
    paragraphs: [
      '面对新型冠状病毒感染肺炎疫情，区人社局开通创业担保贷款“绿色通道”，支持参与抗击疫情相关企业资金需求。一是降低申请贷款条件。凡经营项目涉及疫情防控相关领域的小微企业（药品、防护用品以及医疗器械生产、运输、销售、超市卖场、食品生产和供应、物流配送、物业等行业），正常经营1年以上的可申请创业担保贷款，额度不超过300万元。二是简化贷款申请程序。优先受理小微企业的贷款申请，经区人社局审核批准后，直接转交经办银行，经办银行审核后，办理相关不动产抵押记、发放贷款。三是放宽展期贴息条件。对已发放的个人创业担保贷款，借款人患新型冠状病毒肺炎的，可向贷款银行申请展期还款，展期期限原则上不超过一年，财政部门继续给予贴息支持。',
    ],
  },
  {
    headline: '我区积极为通航企业复工复产“保驾护航”',
    unit: '通航试验区管委会',
    paragraphs: [
      '通航试验区管委会深入进行研判谋划，主动做好各项准备工作。一是制定《上街区通航企业复工复产实施方案》，成立专项工作小组，迅速摸清企业情况，建立工作台账，提供“一人一企”专人服务。二是压实企业主体责任，摸清企业员工流动信息情况，制定切实可行的企业防疫措施及应急方案，督促企业如实上报复工复产相关材料。三是认真梳理企业复工复产进展情况，对复工复产过程中出现的问题和困难，及时对接相关职能部门，帮助协调解决。四是摸清企业在用工方面的需求及当前需工用工的难点问题，加强与企业、人社部门沟通，创新方法和思路，为企业用工解决后顾之忧。五是严格按照要求安排好复工复产企业员工的“吃、住、劳、行”，杜绝职工聚集现象发生，做好员工体温每日监测、劳动场所消毒、员工佩戴口罩等防护措施。',
    ],
  },
  {
    headline: '峡窝镇电子指挥调度系统上线助力疫情防控',
    unit: '峡窝镇',
    paragraphs: [
      '近日，峡窝镇率先使用电子可视化指挥调度系统，通过无线网络将全镇所有卡口、重点居家隔离人员的监控画面集成到电子防疫可视化指挥调度系统，组织专人24小时值守，实时监测卡口管控情况及居家隔离人员服务保障动态，一旦发生异常情况可以及时进行调度。',
      '无缝隙、全时段的电子指挥调度系统上线，既实现了疫情防控信息实时共享、工作动态全程监督，又提高了监管效率、降低了人力投入成本。',
    ],
  },
  {
    headline: '矿山街道联手周边乡镇共战疫情',
    unit: '矿山街道',
    paragraphs: [
      '疫情防控工作开展以来，矿山街道因其地理位置特殊，与巩义市小关镇加强沟通联系，共同努力做好疫情防控工作。建立跨区域联防联控工作机制，严格实行流入地、流出地“双向管控”，做到人员往来信息即时互通、管控情况每天交流，并按属地原则对居民进行劝导和管控，防止出现遗漏。同时，发现户籍和居住地不一致的返郑人员时及时通报、核查、管控，做到“一地发现、两地通报、联合防疫”，形成疫情防控合力。',
    ],
  },
  {
    headline: '区文化馆开展“慕课”进万家活动',
    unit: '区文广旅局',
    paragraphs: [
      '疫情防控工作开展以来，区文化馆积极整合各类文化数字资源，通过微信公众号等线上平台，开展“慕课”进万家活动，推出《文艺“战”役》系列课程，内容涉及历史、文学、国学、科学、艺术、生活百科等方面，让市民足不出户就能享受到丰富的公共文化服务。截至目前，已推出《书法鉴赏》《玉石文化》《中华传统文化之戏曲瑰宝》《中华诗词之美》等7门线上课程，点击量达560余次。',
    ],
  },
];
