import type { Profile } from './profile-schema.js';
import { defaultTexts } from './texts.js';

const cnHotlines: Profile['crisis']['hotlines'] = [
  { name: { zh: '全国心理援助热线', en: 'National psychological assistance hotline' }, number: '12356' },
  { name: { zh: '希望24热线', en: 'Hope 24 crisis hotline' }, number: '400-161-9995' },
  { name: { zh: '急救', en: 'Ambulance' }, number: '120' },
  { name: { zh: '报警', en: 'Police' }, number: '110' },
];

const usHotlines: Profile['crisis']['hotlines'] = [
  { name: { zh: '988 自杀与危机生命线', en: '988 Suicide & Crisis Lifeline' }, number: '988' },
  { name: { zh: '紧急求助', en: 'Emergency' }, number: '911' },
];

/** Crisis handling of the US profiles: US help lines, no human takeover required. */
const usCrisis: Profile['crisis'] = {
  hotlines: usHotlines,
  humanTakeover: false,
  cooldownMinutes: 72 * 60,
  claimWithinMinutes: 5,
  incidentOnTier1: false,
  incidentOnScamForMinorsAndElderly: true,
};

/**
 * The safety texts outside China: the Chinese versions name no Chinese emergency numbers (120/110) to users
 * whose help lines are elsewhere; they point to the local emergency number or the police like the English ones.
 */
const localEmergencyTexts: Pick<
  Profile['texts'],
  | 'crisisReplyOperator'
  | 'crisisReplyNoOperator'
  | 'escalationFallback'
  | 'concernedOtherReply'
  | 'scamWarning'
> = {
  concernedOtherReply: {
    zh: '你很关心这位朋友，这很重要。请鼓励他/她寻求专业帮助，必要时陪同就医；如有紧急危险，请立即拨打当地的紧急求助电话。你们可以拨打这些电话：{hotlines}。',
    en: defaultTexts.concernedOtherReply.en,
  },
  scamWarning: {
    zh: '风险提示：凡是要求转账、提供验证码或“安全账户”的，都可能是诈骗。请先与家人核实，或报警。',
    en: defaultTexts.scamWarning.en,
  },
  crisisReplyOperator: {
    zh: '听到你这么说，我很担心你。你的生命很重要。我们团队中一位受过专门训练的工作人员很快会加入这段对话陪你。现在就可以拨打：{hotlines}。如果你有立即的危险，请拨打当地的紧急求助电话。',
    en: defaultTexts.crisisReplyOperator.en,
  },
  crisisReplyNoOperator: {
    zh: '听到你这么说，我很担心你。你的生命很重要。请现在就拨打这些电话，和受过专业训练的人聊一聊：{hotlines}。如果你有立即的危险，请拨打当地的紧急求助电话。',
    en: defaultTexts.crisisReplyNoOperator.en,
  },
  escalationFallback: {
    zh: '我们暂时还没能安排工作人员和你对话，请不要等待，现在就拨打：{hotlines}。如果你有立即的危险，请拨打当地的紧急求助电话。',
    en: defaultTexts.escalationFallback.en,
  },
};

/** Complaint deadlines of the US profiles: no statute names one; two days to take up, 30 to resolve. */
const usComplaints: Profile['complaints'] = {
  acknowledgeWithinHours: 48,
  resolveWithinDays: { complaint: 30, report: 7, appeal: 14 },
};

const exitKeywords: Profile['exit']['keywords'] = {
  zh: ['退出', '结束对话', '结束聊天', '不聊了', '再见', '拜拜', '我走了', '下线了'],
  en: ['exit', 'quit', 'stop', 'bye', 'bye for now', 'goodbye', 'end chat', 'end the conversation'],
};

const cn2026: Profile = {
  id: 'cn-2026',
  name: { zh: '中国·拟人化互动服务管理暂行办法（2026）', en: 'China, Interim Measures (final, 2026)' },
  defaultLocale: 'zh',
  session: { newSessionAfterAbsenceMinutes: 30, idleGapMinutes: 30, defaultTimeZone: 'Asia/Shanghai' },
  disclosure: {
    atSessionStart: true,
    minIntervalMinutes: 0,
    repeatEveryMinutes: null,
    appliesTo: 'all',
    startNoticeForAll: true,
    machineReadableMark: false,
  },
  usageReminder: {
    everyMinutes: 120,
    repeat: true,
    appliesTo: 'all',
    directive: 'usage-reminder',
    requirement: 'TIME-1',
  },
  exit: { keywords: exitKeywords },
  crisis: {
    hotlines: cnHotlines,
    humanTakeover: true,
    cooldownMinutes: 72 * 60,
    claimWithinMinutes: 5,
    incidentOnTier1: false,
    incidentOnScamForMinorsAndElderly: true,
  },
  dependence: { noticeCooldownMinutes: 30 },
  // RISK-1: a week's half-life; a dependence statement a day for four days makes the notice open each session.
  emotionalState: { halfLifeDays: 7, elevatedAt: 2, highAt: 5, sustainedDependenceAt: 3 },
  // The Law on the Protection of the Rights and Interests of the Elderly: citizens aged 60 and over.
  elderly: { refuseRelativeImpersonation: true, ageFrom: 60, refuseKinCharacters: true },
  minors: {
    enabled: true,
    dailyLimitMinutes: { 'under-14': 60, '14-15': 60, '16-17': 120 },
    // A guardian may allow up to the next band's limit: 2 hours under 16, 3 hours at 16–17.
    guardianMaxDailyLimitMinutes: { 'under-14': 120, '14-15': 120, '16-17': 180 },
    restReminderAfterMinutes: 30,
    realityReminderEveryMinutes: 60,
    quietHours: { from: '22:00', to: '06:00' },
    // A guardian may shorten the night to 23:00–05:00 at most.
    guardianMinQuietHours: { from: '23:00', to: '05:00' },
    consentForAllServiceUnder: 14,
    consentForCompanionCharacters: true,
    refusedRelations: ['partner', 'kin'],
    consentPolicyVersion: 'minor-consent-2026-01',
  },
  // MINOR-5: one stated age or grade is enough; three weaker school or parents' signs; school hours barely count.
  suspectedMinors: {
    enabled: true,
    threshold: 100,
    halfLifeDays: 30,
    weights: { statedAge: 100, grade: 100, school: 34, parentsRules: 34, schoolHours: 5 },
    schoolHours: { days: [1, 2, 3, 4, 5], from: '08:00', to: '16:00' },
  },
  failModes: { inputDetector: 'block', outputDetector: 'block', secondOpinion: 'allow' },
  // LOG-1 (Cybersecurity Law Art. 21: network logs at least 6 months); messages until the user deletes them.
  retention: { auditDays: 365, networkLogDays: 183, messageDays: null },
  // PIPL Art. 23: provision to another processor needs separate consent (a minor's guardian's, Art. 31).
  dataRights: {
    thirdPartyGuardsNeedConsent: true,
    aigcProducer: 'companion-guard',
    aigcPropagator: 'companion-guard',
    consentTextVersion: '1',
  },
  // NOTICE-1: Art. 20 asks for advance notice without a period. A week for a character or a function; 30 days
  // for the end of the service, as the E-Commerce Law (Art. 16) asks of a platform that stops operating.
  notices: { minAdvanceDays: { character: 7, function: 7, service: 30 } },
  // COMPLAINT-1: the Measures ask for prompt handling and a published time limit without naming one: a
  // working day to take a complaint up; reports of content and appeals (which restrict or block the user)
  // within a week, other complaints within 15 days (docs/complaints.md).
  complaints: { acknowledgeWithinHours: 24, resolveWithinDays: { complaint: 15, report: 7, appeal: 7 } },
  texts: defaultTexts,
  // ASSESS-1 (Final Art. 22): the user scale that calls for a security assessment.
  assessment: { enabled: true, registeredUsers: 1_000_000, monthlyActiveUsers: 100_000 },
};

const cn2025Draft: Profile = {
  ...cn2026,
  id: 'cn-2025-draft',
  name: { zh: '中国·征求意见稿（2025-12-27）', en: 'China, consultation draft (2025-12-27)' },
  // The draft asks for a reminder once use exceeds 2 hours, not at every 2 hours.
  usageReminder: { ...(cn2026.usageReminder as NonNullable<Profile['usageReminder']>), repeat: false },
};

const usCa: Profile = {
  ...cn2026,
  id: 'us-ca-sb243',
  name: { zh: '美国加州 SB 243', en: 'California SB 243' },
  defaultLocale: 'en',
  disclosure: {
    atSessionStart: true,
    minIntervalMinutes: 0,
    repeatEveryMinutes: 180,
    appliesTo: 'minors',
    startNoticeForAll: true,
    machineReadableMark: false,
  },
  usageReminder: {
    everyMinutes: 180,
    repeat: true,
    appliesTo: 'minors',
    directive: 'take-a-break',
    requirement: 'DISC-6',
  },
  crisis: usCrisis,
  session: { ...cn2026.session, defaultTimeZone: 'America/Los_Angeles' },
  // The Measures' minor mode is not the law here; DISC-6 covers minors. A deployment may turn it on.
  minors: { ...cn2026.minors, enabled: false },
  suspectedMinors: { ...cn2026.suspectedMinors, enabled: false },
  // No US rule makes a moderation processor a third party needing consent: guards serve everybody.
  dataRights: { ...cn2026.dataRights, thirdPartyGuardsNeedConsent: false },
  texts: { ...defaultTexts, ...localEmergencyTexts },
  // NOTICE-1: no statute sets a period here; a week for a character or function, 30 days for the service
  // (the usual notice of a material change to an ongoing consumer service).
  notices: { minAdvanceDays: { character: 7, function: 7, service: 30 } },
  complaints: usComplaints,
  // The Measures' security assessment (ASSESS-1) is Chinese law; nothing here calls for it.
  assessment: { ...cn2026.assessment, enabled: false },
};

const usNy: Profile = {
  ...cn2026,
  id: 'us-ny-art47',
  name: { zh: '美国纽约州 GBL 第47条', en: 'New York GBL Article 47' },
  defaultLocale: 'en',
  disclosure: {
    atSessionStart: true,
    minIntervalMinutes: 24 * 60,
    repeatEveryMinutes: 180,
    appliesTo: 'all',
    startNoticeForAll: true,
    machineReadableMark: false,
  },
  usageReminder: null,
  crisis: usCrisis,
  session: { ...cn2026.session, defaultTimeZone: 'America/New_York' },
  minors: { ...cn2026.minors, enabled: false },
  suspectedMinors: { ...cn2026.suspectedMinors, enabled: false },
  dataRights: { ...cn2026.dataRights, thirdPartyGuardsNeedConsent: false },
  texts: { ...defaultTexts, ...localEmergencyTexts },
  complaints: usComplaints,
  // The Measures' security assessment (ASSESS-1) is Chinese law; nothing here calls for it.
  assessment: { ...cn2026.assessment, enabled: false },
};

/**
 * EU AI Act Art. 50 (transparency, applies from 2026-08-02): people are told they interact with an AI system
 * at the latest at the first interaction (50(1), 50(5)), and AI-generated text is marked machine-readably
 * (50(2)). Only Art. 50: not the duties of general-purpose AI model providers (Art. 53–55) nor of high-risk
 * systems (Art. 6–27). No EU rule sets usage reminders or a minor mode, so they are off (a deployment may
 * turn them on); crisis handling, exit and content rules stay as the product's own safety floor.
 */
const euAiAct: Profile = {
  ...cn2026,
  id: 'eu-ai-act',
  name: { zh: '欧盟《人工智能法》第50条', en: 'EU AI Act, Article 50' },
  defaultLocale: 'en',
  session: { ...cn2026.session, defaultTimeZone: 'Europe/Brussels' },
  disclosure: {
    atSessionStart: true,
    minIntervalMinutes: 0,
    repeatEveryMinutes: null,
    appliesTo: 'all',
    startNoticeForAll: true,
    machineReadableMark: true,
  },
  usageReminder: null,
  crisis: {
    ...usCrisis,
    hotlines: [
      { name: { zh: '欧盟紧急求助电话', en: 'EU emergency number' }, number: '112' },
      {
        name: {
          zh: '情绪支持热线（部分成员国开通）',
          en: 'Emotional support helpline (in the member states that run it)',
        },
        number: '116 123',
      },
    ],
  },
  minors: { ...cn2026.minors, enabled: false },
  suspectedMinors: { ...cn2026.suspectedMinors, enabled: false },
  // A guard model under a processing contract (GDPR Art. 28) needs no separate consent of the user.
  dataRights: { ...cn2026.dataRights, thirdPartyGuardsNeedConsent: false },
  texts: {
    ...defaultTexts,
    ...localEmergencyTexts,
    aiDisclosure: {
      zh: '请注意：你正在与人工智能系统互动，而不是与真人交流。本对话中的回复均由人工智能生成。',
      en: 'Please note: you are interacting with an AI system, not a human. The replies in this conversation are generated by artificial intelligence.',
    },
  },
  notices: usCa.notices,
  complaints: usComplaints,
  // The Measures' security assessment (ASSESS-1) is Chinese law; nothing here calls for it.
  assessment: { ...cn2026.assessment, enabled: false },
};

/** The built-in profiles, by id. `cn-2026` is the default. */
export const builtInProfiles: Readonly<Record<string, Profile>> = {
  'cn-2026': cn2026,
  'cn-2025-draft': cn2025Draft,
  'us-ca-sb243': usCa,
  'us-ny-art47': usNy,
  'eu-ai-act': euAiAct,
};

export const defaultProfileId = 'cn-2026';
