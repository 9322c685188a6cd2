import {
  type AssessmentTrigger,
  type AuditInput,
  addDays,
  CgError,
  type Clock,
  daysBetween,
  localDay,
  maxStatsDays,
  type Profile,
  parseCalendarDate,
  type StatsReport,
  type Store,
  statsReport,
} from '@companion-guard/core';
import type { Logger } from '../../logger.js';
import type { EmailSender } from '../../notify/index.js';

/**
 * ASSESS-1, ASSESS-2: the figures of `GET /api/stats`, the assessment triggers (thresholds crossed, a
 * character or function launched), each recorded once across instances and told to the compliance contact.
 */
export interface StatsService {
  /** The report for `from`..`to` (defaults: the 30 days up to today). `invalid-request` for a bad range. */
  report(range: { from?: string | undefined; to?: string | undefined }): Promise<StatsReport>;
  /**
   * Records the threshold triggers the figures of today have crossed (once each across instances), then
   * tells the compliance contact about any trigger not told yet. Returns the triggers this call recorded.
   */
  checkThresholds(now: number): Promise<AssessmentTrigger[]>;
  /** ASSESS-1: a character or function launched (`character:<id>`); recorded once per subject. */
  launched(subject: string, now: number, staffId: string | null): Promise<boolean>;
  /** Tells the compliance contact about triggers not told yet; returns how many were sent. */
  deliverNotices(now: number): Promise<number>;
}

export interface StatsServiceOptions {
  readonly store: Store;
  readonly profile: Profile;
  readonly clock: Clock;
  /** The compliance contact (`notify.compliance.emails`) and the channel to reach it. */
  readonly compliance?: { readonly emails: readonly string[]; readonly email: EmailSender | undefined };
  readonly logger?: Logger;
}

function parseDay(value: string, name: string): string {
  if (parseCalendarDate(value) === undefined) {
    throw new CgError('invalid-request', `${name} must be a calendar day (YYYY-MM-DD).`);
  }
  return value;
}

const triggerNames = {
  'registered-users': { zh: '注册用户数达到', en: 'registered users reached' },
  'monthly-active-users': { zh: '月活跃用户数达到', en: 'monthly active users reached' },
  launch: { zh: '上线新角色或功能', en: 'a new character or function launched' },
} as const;

/** The e-mail to the compliance contact: the trigger's facts only, in Chinese and English. */
export function triggerEmail(trigger: AssessmentTrigger): { subject: string; text: string } {
  const name = triggerNames[trigger.kind];
  const what =
    trigger.kind === 'launch'
      ? { zh: `${name.zh}：${trigger.subject}`, en: `${name.en}: ${trigger.subject}` }
      : {
          zh: `${name.zh} ${trigger.value}（阈值 ${trigger.threshold}）`,
          en: `${name.en} ${trigger.value} (threshold ${trigger.threshold})`,
        };
  return {
    subject: `[companion-guard] 安全评估触发 / Security assessment trigger (ASSESS-1)`,
    text: [
      `${trigger.day}：${what.zh}。`,
      '依《人工智能拟人化互动服务管理暂行办法》，应开展安全评估并向省级网信部门报送评估报告。',
      '评估报告可在控制台“合规 → 报告”中生成。',
      '',
      `${trigger.day}: ${what.en}.`,
      'Under the Interim Measures for Anthropomorphic AI Interactive Services, a security assessment is due',
      'and its report goes to the provincial CAC. The console (Compliance → Reports) builds the report.',
    ].join('\n'),
  };
}

export function createStatsService(options: StatsServiceOptions): StatsService {
  const { store, profile, clock } = options;
  const timeZone = profile.session.defaultTimeZone;
  const thresholds = {
    registeredUsers: profile.assessment.registeredUsers,
    monthlyActiveUsers: profile.assessment.monthlyActiveUsers,
  };

  const record = async (trigger: Omit<AssessmentTrigger, 'notifiedAt'>, staffId: string | null) => {
    const audit: AuditInput = {
      type: 'assessment-triggered',
      requirement: 'ASSESS-1',
      at: trigger.firedAt,
      data: {
        key: trigger.key,
        kind: trigger.kind,
        day: trigger.day,
        value: trigger.value,
        threshold: trigger.threshold,
        subject: trigger.subject,
        ...(staffId ? { staffId } : {}),
      },
    };
    const full: AssessmentTrigger = { ...trigger, notifiedAt: null };
    return (await store.stats.recordTrigger(full, [audit])) ? full : null;
  };

  const warned = new Set<string>();
  const service: StatsService = {
    async report(range) {
      const now = clock.now();
      const today = localDay(now, timeZone);
      const to = range.to === undefined || range.to === '' ? today : parseDay(range.to, 'to');
      const from =
        range.from === undefined || range.from === '' ? addDays(to, -29) : parseDay(range.from, 'from');
      if (from > to) throw new CgError('invalid-request', 'from must not be after to.');
      if (daysBetween(from, to) >= maxStatsDays) {
        throw new CgError('invalid-request', `At most ${maxStatsDays} days at once.`);
      }
      const [counters, triggers] = await Promise.all([store.stats.counters(to), store.stats.listTriggers()]);
      return statsReport({ counters, triggers, from, to, timeZone, asOf: now, thresholds });
    },

    async checkThresholds(now) {
      // ASSESS-1 is the Measures' (Final Art. 22): profiles of other laws turn it off.
      if (!profile.assessment.enabled) return [];
      const today = localDay(now, timeZone);
      const counters = await store.stats.counters(today);
      const { totals } = statsReport({
        counters,
        triggers: [],
        from: today,
        to: today,
        timeZone,
        asOf: now,
        thresholds,
      });
      const crossed = [
        ['registered-users', totals.registeredUsers, thresholds.registeredUsers],
        ['monthly-active-users', totals.monthlyActiveUsers, thresholds.monthlyActiveUsers],
      ] as const;
      const recorded: AssessmentTrigger[] = [];
      for (const [kind, value, threshold] of crossed) {
        if (value < threshold) continue;
        const fired = await record(
          { key: kind, kind, firedAt: now, day: today, value, threshold, subject: null },
          null,
        );
        if (fired) recorded.push(fired);
      }
      await service.deliverNotices(now);
      return recorded;
    },

    async launched(subject, now, staffId) {
      const fired = await record(
        {
          key: `launch:${subject}`,
          kind: 'launch',
          firedAt: now,
          day: localDay(now, timeZone),
          value: null,
          threshold: null,
          subject,
        },
        staffId,
      );
      if (fired) await service.deliverNotices(now).catch(() => 0);
      return fired !== null;
    },

    async deliverNotices(now) {
      const emails = options.compliance?.emails ?? [];
      const email = options.compliance?.email;
      let sent = 0;
      for (const trigger of await store.stats.listTriggers()) {
        if (trigger.notifiedAt !== null) continue;
        if (!email || emails.length === 0) {
          if (warned.has(trigger.key)) continue;
          warned.add(trigger.key);
          options.logger?.warn('no compliance contact to tell about an assessment trigger', {
            key: trigger.key,
          });
          continue;
        }
        if (!(await store.stats.markTriggerNotified(trigger.key, now))) continue;
        try {
          const message = triggerEmail(trigger);
          for (const to of emails) await email.send({ to, ...message });
          await store.appendAudit([
            {
              type: 'assessment-notified',
              requirement: 'ASSESS-1',
              at: now,
              data: { key: trigger.key, channel: 'email', recipients: emails.length },
            },
          ]);
          sent++;
        } catch (error) {
          await store.stats.markTriggerNotified(trigger.key, null);
          const code = (error as { code?: unknown }).code;
          options.logger?.warn('assessment trigger notice failed; retried at the next check', {
            key: trigger.key,
            code: typeof code === 'string' ? code : 'error',
          });
        }
      }
      return sent;
    },
  };
  return service;
}
