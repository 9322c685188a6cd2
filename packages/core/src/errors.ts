/**
 * The one error family of companion-guard. Every thrown error that is expected carries a stable code from
 * this catalogue; the gateway maps codes to HTTP once, in `server/errors.ts`.
 */
export const errorCatalogue = {
  'invalid-request': { status: 400, message: 'The request is malformed.' },
  'missing-user': { status: 400, message: 'The request must name the end user in the `user` field.' },
  'body-too-large': { status: 413, message: 'The request body is too large.' },
  'unsupported-media-type': {
    status: 415,
    message: 'The request body must be JSON, sent with `content-type: application/json`.',
  },
  'unknown-character': { status: 404, message: 'No such character. 没有这个角色。' },
  'character-disabled': { status: 403, message: 'This character is not available. 这个角色暂不可用。' },
  'not-found': { status: 404, message: 'Not found.' },
  unauthorized: { status: 401, message: 'Valid credentials are required (an API key, or a staff session).' },
  forbidden: { status: 403, message: 'This caller may not use this route.' },
  'session-exists': { status: 409, message: 'The session already exists.' },
  'session-conflict': { status: 409, message: 'The session changed concurrently; retry.' },
  'upstream-error': { status: 502, message: 'The upstream model failed. 上游模型出错。' },
  'upstream-timeout': {
    status: 504,
    message: 'The upstream model did not answer in time. 上游模型未能及时回答。',
  },
  'invalid-profile': { status: 500, message: 'The policy profile is invalid.' },
  'invalid-config': { status: 500, message: 'The configuration is invalid.' },
  'invalid-lexicon': { status: 500, message: 'A lexicon file is invalid.' },
  'invalid-credentials': {
    status: 401,
    message: 'The email or password is wrong, or the account is disabled.',
  },
  'totp-required': { status: 401, message: 'A one-time code from the authenticator app is required.' },
  'invalid-totp': { status: 401, message: 'The one-time code is wrong, expired or already used.' },
  'account-locked': {
    status: 423,
    message: 'Too many failed sign-ins: the account is locked for a while. Try again later.',
  },
  'staff-exists': { status: 409, message: 'A staff member with this email already exists.' },
  'character-read-only': {
    status: 409,
    message: 'This character is managed by the configuration file and cannot be changed here.',
  },
  'purpose-required': {
    status: 400,
    message: 'Reading a conversation needs a stated purpose (`purpose`, at least 5 characters).',
  },
  'forbidden-host': {
    status: 403,
    message: 'The Host or Origin of this request is not one this gateway serves.',
  },
  'incident-claimed': { status: 409, message: 'Another operator has claimed this incident.' },
  'incident-not-assigned': {
    status: 403,
    message: 'This incident is not assigned to you; claim it first.',
  },
  'incident-closed': { status: 409, message: 'The incident is closed.' },
  'incident-conflict': { status: 409, message: 'The incident changed concurrently; retry.' },
  // Guardians (MINOR-2, MINOR-4).
  'invalid-code': { status: 401, message: 'The code is wrong, expired or already used. Request a new one.' },
  'minor-by-age': {
    status: 409,
    message:
      'The registered age is under 18: minor mode ends by itself on the 18th birthday and cannot be turned off. 登记的年龄未满18岁：未成年人模式在年满18岁时自动结束，不能提前关闭。',
  },
  // Appeals (MINOR-5).
  'appeal-not-allowed': {
    status: 409,
    message: 'Only minor mode entered on suspicion (reason `suspected`) can be appealed.',
  },
  'appeal-decided': { status: 409, message: 'This appeal has been decided already.' },
  // Service notices and switches (NOTICE-1, ASSESS-3).
  'notice-too-soon': {
    status: 400,
    message:
      'The effective date leaves less advance notice than the profile requires (notices.minAdvanceDays).',
  },
  'notice-cancelled': { status: 409, message: 'This notice has been cancelled (or lifted) already.' },
  'switch-unchanged': { status: 409, message: 'The switch is already in that position.' },
  'unknown-function': {
    status: 400,
    message: 'No such function: functions are declared in the configuration (`controls.functions`).',
  },
  // Complaints (COMPLAINT-1).
  'invalid-complaint-ref': {
    status: 400,
    message:
      'The ref must be the content id of a message or the id of a session in the user’s own conversations, `character:<id>` of a known character, or `minor-mode` (appeals only); an appeal needs a ref.',
  },
  'complaint-closed': { status: 409, message: 'This complaint is resolved or rejected already.' },
  'invalid-assignee': { status: 400, message: 'Complaints can be assigned only to active compliance staff.' },
  // Limits (issue #12): per user, per API key, per guardian contact; the response carries `Retry-After`.
  'rate-limited': {
    status: 429,
    message:
      'Too many requests: try again after the number of seconds in the Retry-After header. 请求过于频繁：请在 Retry-After 响应头给出的秒数之后再试。',
  },
  'store-error': { status: 500, message: 'The store failed.' },
  // `companion-guard seed` (ASSESS-2): synthetic users go only into a store without users.
  'store-not-empty': { status: 409, message: 'The store already holds users.' },
  'store-unavailable': {
    status: 503,
    message:
      'The database cannot be reached or is overloaded right now; retry shortly. 数据库暂时无法连接或过于繁忙，请稍后重试。',
  },
  'store-full': {
    status: 507,
    message:
      'The database’s disk is full: nothing more can be saved until space is freed. 数据库磁盘已满：在释放空间之前无法保存任何内容。',
  },
  'event-too-large': { status: 500, message: 'A live event is larger than 8000 bytes.' },
  internal: { status: 500, message: 'Internal error.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

/** A typed error with a stable code. Messages never contain conversation text. */
export class CgError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? errorCatalogue[code].message, options);
    this.name = 'CgError';
    this.code = code;
    this.status = errorCatalogue[code].status;
  }
}

/** True if `e` is a CgError, optionally with the given code. */
export function isCgError(e: unknown, code?: ErrorCode): e is CgError {
  return e instanceof CgError && (code === undefined || e.code === code);
}
