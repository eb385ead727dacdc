import type { ChannelRunner as ChannelRunnerType } from '../channels/runner.ts';
import { ChannelRunner } from '../channels/runner.ts';
import { consultReplyTo, ReplyAddresses } from '../domain/consults/reply-address.ts';
import { ConsultReplyWorker, parseReplyImapUrl } from '../domain/consults/reply-mailbox.ts';
import { ConsultSweeper } from '../domain/consults/sweeper.ts';
import { RetrainScheduler } from '../domain/corrections/retrain.ts';
import { CoverageWorker } from '../domain/coverage/worker.ts';
import { CrisisWatcher } from '../domain/crisis/watcher.ts';
import { ApprovalSweeper } from '../domain/governance/sweeper.ts';
import { HandoverWorker } from '../domain/handover/worker.ts';
import { EmailWorker } from '../domain/notifications/mailer.ts';
import { MAIL_CHANNEL } from '../domain/notifications/service.ts';
import { OUTBOX_CHANNEL } from '../domain/outbox/service.ts';
import type { OutboxWorker } from '../domain/outbox/worker.ts';
import { PublishingWorker } from '../domain/publishing/worker.ts';
import { ReportScheduleWorker } from '../domain/reports/schedule-worker.ts';
import { RetentionWorker, retentionOf } from '../domain/retention/service.ts';
import { AssignmentSweeper, type OffDutyPolicy } from '../domain/routing/assignment-sweeper.ts';
import { SlaSweeper } from '../domain/sla/sweeper.ts';
import { WEBHOOKS_CHANNEL } from '../domain/webhooks/events.ts';
import { WebhookWorker } from '../domain/webhooks/worker.ts';
import type { AppContext } from './context.ts';

/**
 * The background work of a process with the worker role: publishing the outbox, outgoing webhooks, channel
 * inbound (polls and streams), timers (assignment, SLA, handover briefs), retraining, email. Every one of them is
 * safe to run in several processes at once (row claims with SKIP LOCKED, advisory locks, insert-once events).
 */
export interface Workers {
  channels: ChannelRunnerType;
  stop(): Promise<void>;
}

export async function startWorkers(ctx: AppContext, outbox: OutboxWorker): Promise<Workers> {
  const { pool, log, config, realtime } = ctx;
  await realtime.on(OUTBOX_CHANNEL, () => outbox.kick());
  outbox.start();
  const webhooks = new WebhookWorker({ pool, keyring: ctx.keyring, log, allowPrivate: config.allowPrivateWebhooks });
  await realtime.on(WEBHOOKS_CHANNEL, () => webhooks.kick());
  webhooks.start();
  const sweeper = new AssignmentSweeper({
    pool,
    orgId: () => ctx.directory().orgId,
    offDuty: () => (ctx.directory().settings.off_duty_cases as OffDutyPolicy | undefined) ?? 'stay',
    log,
  });
  sweeper.start();
  // Off-duty cases follow their community's policy; out of hours, acknowledgements and pages (docs/out-of-hours.md).
  const coverage = new CoverageWorker({
    pool,
    directory: () => ctx.directory(),
    publicUrl: config.publicUrl,
    log,
    intervalMs: config.coverageSweepMs,
  });
  coverage.start();
  const retrainer = new RetrainScheduler({ pool, orgId: () => ctx.directory().orgId, log });
  retrainer.start();
  const slaSweeper = new SlaSweeper({ pool, log, intervalMs: config.slaSweepMs });
  slaSweeper.start();
  // Consult reminders and escalations run on the SLA timer's rhythm.
  const consultSweeper = new ConsultSweeper({ pool, log, intervalMs: config.slaSweepMs });
  consultSweeper.start();
  // Replies waiting for approval past their deadline tell their approvers, on the same rhythm.
  const approvalSweeper = new ApprovalSweeper({ pool, log, intervalMs: config.slaSweepMs });
  approvalSweeper.start();
  // The crisis detector over live traffic (one owner process at a time).
  const crisisWatcher = new CrisisWatcher({ pool, orgId: () => ctx.directory().orgId, log });
  crisisWatcher.start();
  // Handover briefs at each community's shift changes (docs/handover.md).
  const handover = new HandoverWorker({ pool, directory: () => ctx.directory(), log, intervalMs: config.handoverMs });
  handover.start();
  // Scheduled posts due now go to the outbox (docs/publishing.md).
  const publishing = new PublishingWorker({ pool, log, intervalMs: 5000 });
  publishing.start();
  // Customer content past the organization's retention period is anonymized (hourly).
  const retention = new RetentionWorker({
    pool,
    orgId: () => ctx.directory().orgId,
    policy: () => retentionOf(ctx.directory().settings),
    log,
  });
  retention.start();
  // Scheduled reports emailed with their PDF, each due slot once (docs/metrics.md).
  const reportSchedules = new ReportScheduleWorker({
    deps: () => ({
      pool,
      directory: ctx.directory(),
      sla: ctx.sla(),
      mail: { smtpUrl: config.smtpUrl, from: config.mailFrom, publicUrl: config.publicUrl },
    }),
    log,
  });
  reportSchedules.start();
  // Answering consults by email (docs/consults.md): only with a reply mailbox configured.
  const replyAddresses =
    config.replyImapUrl && config.replyAddress ? new ReplyAddresses(ctx.keyring, config.replyAddress) : undefined;
  const mailer = new EmailWorker({
    pool,
    log,
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    publicUrl: config.publicUrl,
    ...(replyAddresses ? { replyTo: consultReplyTo(replyAddresses) } : {}),
  });
  await realtime.on(MAIL_CHANNEL, () => mailer.kick());
  mailer.start();
  const consultReplies =
    replyAddresses && config.replyImapUrl
      ? new ConsultReplyWorker({
          pool,
          log,
          directory: () => ctx.directory(),
          addresses: replyAddresses,
          mailbox: parseReplyImapUrl(config.replyImapUrl),
          intervalMs: config.replyPollMs,
        })
      : undefined;
  consultReplies?.start();
  const channels = new ChannelRunner({
    pool,
    orgId: () => ctx.directory().orgId,
    keyring: ctx.keyring,
    registry: ctx.connectors,
    rt: ctx.channels,
    log,
  });
  await channels.start();
  return {
    channels,
    stop: async () => {
      await channels.stop();
      await outbox.stop();
      await webhooks.stop();
      await sweeper.stop();
      await coverage.stop();
      await retrainer.stop();
      await slaSweeper.stop();
      await consultSweeper.stop();
      await approvalSweeper.stop();
      await crisisWatcher.stop();
      await handover.stop();
      await publishing.stop();
      await retention.stop();
      await reportSchedules.stop();
      await mailer.stop();
      await consultReplies?.stop();
    },
  };
}
