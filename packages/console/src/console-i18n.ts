import type { Locale } from './api.js';
import { formatMessage } from './i18n.js';

/** Every UI string of the staff console, in English; `zh` below must have the same keys. */
const en = {
  productName: 'companion-guard',
  consoleTitle: 'Staff console',
  languageToggle: '中文',
  languageToggleLabel: 'Switch the interface to Chinese',
  signOut: 'Sign out',
  signedInAs: 'Signed in as',
  navLabel: 'Console sections',
  loading: 'Loading…',
  retry: 'Try again',
  cancel: 'Cancel',
  save: 'Save',
  saving: 'Saving…',
  close: 'Close',
  done: 'Done',
  copy: 'Copy',
  copied: 'Copied.',
  copyFailed: 'Copying failed; the text is selected, copy it by hand.',
  never: 'Never',
  you: 'you',
  actions: 'Actions',
  errorNetwork: 'The gateway could not be reached. Check that it is running, then try again.',
  errorRefused: 'The gateway refused the request: {message}',
  errorCode: 'Code: {code}',
  errorInvalidResponse: 'The gateway sent an answer this console cannot read.',
  errorForbidden: 'Your role may not do this.',
  sessionExpired: 'Your session has ended. Sign in again.',
  'error.staff-exists': 'A staff member with this email already exists.',
  'error.character-read-only':
    'This character is managed by the configuration file and cannot be changed here.',
  'error.not-found': 'It no longer exists. Reload the page.',

  'role.operator': 'Safety operator',
  'role.compliance': 'Compliance officer',
  'role.auditor': 'Auditor',
  'role.admin': 'Administrator',

  'nav.queue': 'Crisis queue',
  'nav.compliance': 'Compliance',
  'nav.audit': 'Audit',
  'nav.staff': 'Staff',
  'nav.characters': 'Characters',
  'nav.keys': 'API keys',
  'nav.guardians': 'Guardians',

  notPermittedTitle: 'Not permitted',
  notPermittedText:
    'Your role ({role}) may not open this page, and the gateway refuses its data to your account too.',
  notFoundTitle: 'Page not found',
  notFoundText: 'There is no console page at this address.',
  goHome: 'Go to your start page',

  loginTitle: 'Sign in',
  loginIntro: 'For safety operators, compliance officers, auditors and administrators of this service.',
  email: 'Email',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  totpTitle: 'Two-step verification',
  totpPrompt: 'Enter the 6-digit code from your authenticator app for {email}.',
  totpLabel: 'Verification code',
  totpFormat: 'Enter the 6 digits of the code.',
  verify: 'Verify',
  verifying: 'Verifying…',
  useOtherAccount: 'Use another account',
  'login.invalid-credentials': 'The email or password is not correct, or the account is disabled.',
  'login.invalid-totp': 'That code is not valid. Codes change every 30 seconds; enter the current one.',
  'login.account-locked':
    'This account is locked after too many failed sign-ins. Wait and try again later, or ask an administrator.',

  staffTitle: 'Staff accounts',
  staffIntro:
    'The people who sign in to this console, one role each. Administrators must sign in with a second factor (TOTP).',
  columnEmail: 'Email',
  columnRole: 'Role',
  columnTotp: 'Second factor',
  columnStatus: 'Status',
  columnCreated: 'Created',
  columnLastLogin: 'Last sign-in',
  totpOn: 'On',
  totpOff: 'Off',
  statusActive: 'Active',
  statusDisabled: 'Disabled',
  disable: 'Disable',
  disableTitle: 'Disable {email}?',
  disableText:
    'They are signed out at once and can no longer sign in. The account stays in this list and in the audit trail.',
  noStaff: 'No staff accounts yet.',
  addStaffTitle: 'Add a staff member',
  initialPassword: 'Initial password',
  initialPasswordHint: 'At least 12 characters. Give it to them over a separate, private channel.',
  add: 'Add',
  adding: 'Adding…',
  staffAdded: '{email} was added as {role}.',
  totpUriTitle: 'Second factor for {email}',
  totpUriNote:
    'Add this link to an authenticator app (paste it, or turn it into a QR code) before their first sign-in. It is shown only now.',
  totpUriLabel: 'Authenticator link (otpauth)',

  charactersTitle: 'Characters',
  charactersIntro:
    'The characters the companion app can chat with. Each declares its scope (SCOPE-1) and its relation; virtual partner and kin characters are never served to minors (MINOR-3).',
  newCharacter: 'New character',
  editCharacter: 'Edit {name}',
  edit: 'Edit',
  columnName: 'Name',
  columnId: 'ID',
  columnScope: 'Scope',
  columnRelation: 'Relation',
  columnManagedBy: 'Managed by',
  columnEnabled: 'Available',
  'managed.console': 'Console',
  'managed.config': 'Configuration file',
  configReadOnly: 'Read-only here: change it in the gateway configuration file.',
  'scope.companion': 'Companion',
  'scope.tool': 'Tool',
  'relation.partner': 'Partner',
  'relation.kin': 'Kin',
  'relation.friend': 'Friend',
  'relation.mentor': 'Mentor',
  'relation.assistant': 'Assistant',
  'relation.other': 'Other',
  enabledYes: 'Enabled',
  enabledNo: 'Disabled',
  noCharacters: 'No characters yet.',
  characterId: 'ID',
  characterIdHint: 'Lower-case letters, digits, “-” and “_”. It cannot be changed later.',
  nameZh: 'Name (Chinese)',
  nameEn: 'Name (English)',
  descriptionZh: 'Description (Chinese)',
  descriptionEn: 'Description (English)',
  scopeLabel: 'Scope',
  scopeHint: 'Companion: sustained emotional interaction, all companion rules apply. Tool: task help only.',
  relationLabel: 'Relation to the user',
  persona: 'Persona',
  personaHint: 'Instructions the model gets for this character. Optional.',
  enabledLabel: 'Enabled: the companion app may chat with this character',
  characterSaved: '{name} was saved.',

  keysTitle: 'API keys',
  keysIntro:
    'The companion app’s backend sends a key as “Authorization: Bearer …” on its /v1 calls. While no key is active, the gateway accepts calls without a key only when it listens on loopback.',
  columnLabel: 'Label',
  columnKeyStatus: 'Status',
  keyActive: 'Active',
  keyRevoked: 'Revoked {time}',
  revoke: 'Revoke',
  revokeTitle: 'Revoke “{label}”?',
  revokeText: 'Calls with this key are refused from now on. This cannot be undone.',
  noKeys: 'No API keys yet.',
  newKeyTitle: 'Create a key',
  keyLabel: 'Label',
  keyLabelHint: 'Which app or environment uses it, e.g. “production backend”.',
  createKey: 'Create key',
  creating: 'Creating…',
  keyCreatedTitle: 'New key “{label}”',
  keySecretNote:
    'Copy the secret now and put it in the app backend’s configuration. The gateway keeps only a hash of it and cannot show it again.',
  keySecretLabel: 'Secret',

  plannedBadge: 'Not built yet',
  plannedLabel: 'What will be here',
  todayLabel: 'What the gateway does today',

  queueTitle: 'Crisis queue',
  queuePlanned:
    'Open crisis incidents will be listed here for safety operators: take over a conversation as a human, chat, write notes, reach the guardian or emergency contact, hand back and close (RISK-4, RISK-5). Reading a conversation will require a stated purpose and be audited (DATA-1).',
  queueToday:
    'When a user states suicide or self-harm intent, the gateway withholds the model’s reply, shows help lines, and keeps the user in crisis mode across sessions until the configured cooldown ends (RISK-3, RISK-4, RISK-6). Every step is written to the audit trail. The queue and human takeover are not available yet.',

  complianceTitle: 'Compliance',
  complianceIntro: 'The compliance officer’s workspace. Conversation text is never shown here.',
  'compliance.dashboard.title': 'Dashboard',
  'compliance.dashboard.planned':
    'Charts of crises, exits, reminders, minors and complaints, and the assessment triggers: ≥ 1,000,000 registered or ≥ 100,000 monthly active users (ASSESS-1).',
  'compliance.complaints.title': 'Complaints',
  'compliance.complaints.planned':
    'Complaints, reports and appeals with their response deadlines, handling and feedback (COMPLAINT-1).',
  'compliance.notices.title': 'Service notices',
  'compliance.notices.planned':
    'Advance notices of removed functions or of the service ending, and outage announcements (NOTICE-1).',
  'compliance.switches.title': 'Feature switches',
  'compliance.switches.planned':
    'Restricting a function or stopping a character or the whole service on a major risk, with records (ASSESS-3).',
  'compliance.reports.title': 'Reports',
  'compliance.reports.planned': 'The security assessment report for the regulator (ASSESS-2).',
  complianceToday:
    'The gateway enforces the policy profile on every message (AI notice, usage reminders, exit, crisis response, content rules) and writes each compliance action to the hash-chained audit trail with its requirement ID. Dashboards, complaints, notices, switches and reports are not available in the console yet.',

  auditTitle: 'Audit',
  auditIntro: 'Read-only evidence for auditors. Conversation text is never shown here.',
  'audit.reports.title': 'Reports',
  'audit.reports.planned': 'The assessment reports the compliance officer produces, to read and download.',
  'audit.verify.title': 'Audit verification',
  'audit.verify.planned':
    'The result of checking the audit hash chain: how many events, and where it breaks if it was altered (LOG-1).',
  'audit.checkpoints.title': 'Checkpoints',
  'audit.checkpoints.planned':
    'Signed checkpoints of the audit chain, to prove later that it was not rewritten.',
  auditToday:
    'Every compliance action is an audit event in a hash chain. On the gateway host, “companion-guard audit verify” checks the whole chain and reports where it breaks. The console does not show results yet.',

  guardiansTitle: 'Guardians',
  guardiansPlanned:
    'Guardians of minors will sign in with a one-time code sent to their contact, to give consent, set limits and quiet hours, block characters, see alerts and usage summaries, and request deletion — for their linked minors only (MINOR-2, MINOR-4, DATA-5).',
  guardiansToday:
    'The companion app registers users with their age and a guardian or emergency contact (PUT /v1/users/{user}, REG-1); contacts are encrypted at rest. Guardian sign-in is not available yet.',
};

export type ConsoleMessageKey = keyof typeof en;

const zh: Record<ConsoleMessageKey, string> = {
  productName: 'companion-guard',
  consoleTitle: '管理控制台',
  languageToggle: 'EN',
  languageToggleLabel: '将界面切换为英文',
  signOut: '退出登录',
  signedInAs: '当前登录',
  navLabel: '控制台栏目',
  loading: '正在加载…',
  retry: '重试',
  cancel: '取消',
  save: '保存',
  saving: '正在保存…',
  close: '关闭',
  done: '完成',
  copy: '复制',
  copied: '已复制。',
  copyFailed: '复制失败；文本已选中，请手动复制。',
  never: '从未',
  you: '你',
  actions: '操作',
  errorNetwork: '无法连接到网关。请确认网关正在运行，然后重试。',
  errorRefused: '网关拒绝了该请求：{message}',
  errorCode: '错误码：{code}',
  errorInvalidResponse: '网关返回的内容无法被本控制台读取。',
  errorForbidden: '你的角色无权执行此操作。',
  sessionExpired: '登录已失效，请重新登录。',
  'error.staff-exists': '已有使用此邮箱的员工账号。',
  'error.character-read-only': '该角色由配置文件管理，无法在此修改。',
  'error.not-found': '该项已不存在，请刷新页面。',

  'role.operator': '安全运营员',
  'role.compliance': '合规负责人',
  'role.auditor': '审计员',
  'role.admin': '管理员',

  'nav.queue': '危机队列',
  'nav.compliance': '合规',
  'nav.audit': '审计',
  'nav.staff': '员工账号',
  'nav.characters': '角色',
  'nav.keys': 'API 密钥',
  'nav.guardians': '监护人',

  notPermittedTitle: '无权访问',
  notPermittedText: '你的角色（{role}）不能打开此页面，网关也不会向你的账号提供其中的数据。',
  notFoundTitle: '页面不存在',
  notFoundText: '控制台中没有这个地址对应的页面。',
  goHome: '前往你的首页',

  loginTitle: '登录',
  loginIntro: '供本服务的安全运营员、合规负责人、审计员和管理员使用。',
  email: '邮箱',
  password: '密码',
  signIn: '登录',
  signingIn: '正在登录…',
  totpTitle: '两步验证',
  totpPrompt: '请输入身份验证器应用中 {email} 的 6 位验证码。',
  totpLabel: '验证码',
  totpFormat: '请输入 6 位数字验证码。',
  verify: '验证',
  verifying: '正在验证…',
  useOtherAccount: '使用其他账号',
  'login.invalid-credentials': '邮箱或密码不正确，或账号已被停用。',
  'login.invalid-totp': '验证码无效。验证码每 30 秒更新一次，请输入当前的验证码。',
  'login.account-locked': '登录失败次数过多，该账号已被锁定。请稍后再试，或联系管理员。',

  staffTitle: '员工账号',
  staffIntro: '登录本控制台的人员，每人一个角色。管理员必须使用第二重验证（TOTP）登录。',
  columnEmail: '邮箱',
  columnRole: '角色',
  columnTotp: '第二重验证',
  columnStatus: '状态',
  columnCreated: '创建时间',
  columnLastLogin: '最近登录',
  totpOn: '已启用',
  totpOff: '未启用',
  statusActive: '正常',
  statusDisabled: '已停用',
  disable: '停用',
  disableTitle: '停用 {email}？',
  disableText: '该账号会立即退出登录，且无法再登录。账号仍保留在此列表和审计记录中。',
  noStaff: '还没有员工账号。',
  addStaffTitle: '添加员工',
  initialPassword: '初始密码',
  initialPasswordHint: '至少 12 个字符。请通过另一个私密渠道告知对方。',
  add: '添加',
  adding: '正在添加…',
  staffAdded: '已添加 {email}，角色为{role}。',
  totpUriTitle: '{email} 的第二重验证',
  totpUriNote:
    '请在对方首次登录前，将此链接添加到身份验证器应用（直接粘贴，或生成二维码扫描）。此链接只显示这一次。',
  totpUriLabel: '身份验证器链接（otpauth）',

  charactersTitle: '角色',
  charactersIntro:
    '陪伴应用可以使用的对话角色。每个角色都声明其适用范围（SCOPE-1）和关系；虚拟伴侣和虚拟亲属角色绝不向未成年人提供（MINOR-3）。',
  newCharacter: '新建角色',
  editCharacter: '编辑 {name}',
  edit: '编辑',
  columnName: '名称',
  columnId: 'ID',
  columnScope: '范围',
  columnRelation: '关系',
  columnManagedBy: '管理方式',
  columnEnabled: '可用',
  'managed.console': '控制台',
  'managed.config': '配置文件',
  configReadOnly: '此处只读：请在网关配置文件中修改。',
  'scope.companion': '陪伴',
  'scope.tool': '工具',
  'relation.partner': '伴侣',
  'relation.kin': '亲属',
  'relation.friend': '朋友',
  'relation.mentor': '导师',
  'relation.assistant': '助手',
  'relation.other': '其他',
  enabledYes: '已启用',
  enabledNo: '已停用',
  noCharacters: '还没有角色。',
  characterId: 'ID',
  characterIdHint: '小写字母、数字、“-”和“_”。创建后不能修改。',
  nameZh: '名称（中文）',
  nameEn: '名称（英文）',
  descriptionZh: '简介（中文）',
  descriptionEn: '简介（英文）',
  scopeLabel: '范围',
  scopeHint: '陪伴：持续的情感互动，适用全部陪伴类规则。工具：仅提供任务帮助。',
  relationLabel: '与用户的关系',
  persona: '人设',
  personaHint: '模型扮演该角色时收到的设定说明。可不填。',
  enabledLabel: '启用：陪伴应用可以使用该角色对话',
  characterSaved: '已保存 {name}。',

  keysTitle: 'API 密钥',
  keysIntro:
    '陪伴应用的后端在调用 /v1 时以“Authorization: Bearer …”发送密钥。没有有效密钥时，网关仅在只监听本机回环地址时接受不带密钥的调用。',
  columnLabel: '名称',
  columnKeyStatus: '状态',
  keyActive: '有效',
  keyRevoked: '已于 {time} 吊销',
  revoke: '吊销',
  revokeTitle: '吊销“{label}”？',
  revokeText: '此后使用该密钥的调用都会被拒绝。此操作无法撤销。',
  noKeys: '还没有 API 密钥。',
  newKeyTitle: '创建密钥',
  keyLabel: '名称',
  keyLabelHint: '注明使用它的应用或环境，例如“生产环境后端”。',
  createKey: '创建密钥',
  creating: '正在创建…',
  keyCreatedTitle: '新密钥“{label}”',
  keySecretNote: '请立即复制此密钥并写入应用后端的配置。网关只保存它的哈希值，无法再次显示。',
  keySecretLabel: '密钥',

  plannedBadge: '尚未上线',
  plannedLabel: '这里将提供',
  todayLabel: '网关目前的能力',

  queueTitle: '危机队列',
  queuePlanned:
    '这里将为安全运营员列出未结束的危机事件：以人工身份接管对话、聊天、记录备注、联系监护人或紧急联系人、交还并结案（RISK-4、RISK-5）。查看对话内容需要说明目的，并会被审计（DATA-1）。',
  queueToday:
    '当用户表达自杀或自伤意图时，网关会拦截模型的回复、展示求助热线，并让该用户在各个会话中保持危机模式，直到配置的冷却期结束（RISK-3、RISK-4、RISK-6）。每一步都写入审计记录。危机队列和人工接管尚未上线。',

  complianceTitle: '合规',
  complianceIntro: '合规负责人的工作区。此处绝不显示对话内容。',
  'compliance.dashboard.title': '数据看板',
  'compliance.dashboard.planned':
    '危机、退出、提醒、未成年人和投诉的统计图表，以及安全评估触发条件：注册用户 ≥ 100 万或月活跃用户 ≥ 10 万（ASSESS-1）。',
  'compliance.complaints.title': '投诉',
  'compliance.complaints.planned': '投诉、举报和申诉，及其答复时限、处理和反馈情况（COMPLAINT-1）。',
  'compliance.notices.title': '服务公告',
  'compliance.notices.planned': '功能下线或服务终止的提前告知，以及故障公告（NOTICE-1）。',
  'compliance.switches.title': '功能开关',
  'compliance.switches.planned':
    '出现重大风险时限制功能、停用某个角色或暂停整个服务，并留存记录（ASSESS-3）。',
  'compliance.reports.title': '报告',
  'compliance.reports.planned': '提交监管部门的安全评估报告（ASSESS-2）。',
  complianceToday:
    '网关对每条消息执行策略配置（AI 身份提示、使用时长提醒、退出、危机响应、内容规则），并将每个合规动作连同其要求编号写入哈希链审计记录。看板、投诉、公告、开关和报告尚未在控制台上线。',

  auditTitle: '审计',
  auditIntro: '供审计员查看的只读证据。此处绝不显示对话内容。',
  'audit.reports.title': '报告',
  'audit.reports.planned': '合规负责人生成的评估报告，可查看和下载。',
  'audit.verify.title': '审计校验',
  'audit.verify.planned': '审计哈希链的校验结果：事件数量，以及被篡改时断裂的位置（LOG-1）。',
  'audit.checkpoints.title': '检查点',
  'audit.checkpoints.planned': '审计链的签名检查点，用于事后证明记录未被改写。',
  auditToday:
    '每个合规动作都是哈希链中的一条审计事件。在网关主机上运行“companion-guard audit verify”可校验整条链，并报告断裂位置。控制台暂不显示校验结果。',

  guardiansTitle: '监护人',
  guardiansPlanned:
    '未成年人的监护人将通过发送到其联系方式的一次性验证码登录，为其关联的未成年人给予同意、设置时长限制和免打扰时段、屏蔽角色、查看提醒和使用摘要，以及申请删除（MINOR-2、MINOR-4、DATA-5）。',
  guardiansToday:
    '陪伴应用在登记用户时提供年龄以及监护人或紧急联系人（PUT /v1/users/{user}，REG-1）；联系方式加密存储。监护人登录尚未上线。',
};

const tables: Record<Locale, Record<ConsoleMessageKey, string>> = { en, zh };

/** A translator bound to one locale. */
export type ConsoleTranslate = (key: ConsoleMessageKey, values?: Record<string, string>) => string;

export function consoleTranslator(locale: Locale): ConsoleTranslate {
  return (key, values) => formatMessage(tables[locale][key], values);
}

/** The translation of `prefix.value` (roles, scopes, relations, …), or `value` itself when there is none. */
export function translateValue(t: ConsoleTranslate, prefix: string, value: string): string {
  const key = consoleKey(prefix, value);
  return key ? t(key) : value;
}

/** The key of `prefix.value` when the table has it, else `null`. */
export function consoleKey(prefix: string, value: string): ConsoleMessageKey | null {
  const key = `${prefix}.${value}`;
  return isConsoleKey(key) ? key : null;
}

function isConsoleKey(key: string): key is ConsoleMessageKey {
  return Object.hasOwn(en, key);
}
