import { useCallback, useEffect, useState } from 'react';
import { type CannedReply, isAbort } from '../../api.ts';
import { Link } from '../../components/Link.tsx';
import { Page } from '../../components/Page.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { labelFor } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import { FindingList, GuidelineFindings } from '../approvals/Findings.tsx';
import type { ReplyCheck } from '../approvals/model.ts';
import { CannedPicker, characterCount } from '../case/Composer.tsx';
import { type TrainingItem, type TrainingItemSummary, type TrainingSession, trainingApi } from './training-api.ts';
import './training.css';

const LEADS = new Set(['leader', 'manager']);

/** One session: its replays in order, answered or not. */
export function TrainingSessionPage(props: { id: number }) {
  const { t, fmt } = useI18n();
  const [s, setS] = useState<(TrainingSession & { item_list: TrainingItemSummary[] }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    trainingApi.session(props.id, ac.signal).then(setS, (err: unknown) => {
      if (!isAbort(err)) setError(errorMessage(t, err));
    });
    return () => ac.abort();
  }, [props.id, t]);
  return (
    <Page section="training" title={t('training.sessionTitle')}>
      <p>
        <Link href="/training">{t('training.back')}</Link>
      </p>
      {error && <p className="form-error">{error}</p>}
      {s && (
        <>
          <p className="muted">
            {t('training.sessionOf', { name: s.person.name, community: s.community?.name ?? '—' })} ·{' '}
            {t('training.answeredOf', { n: s.answered, total: s.items })}
          </p>
          <ol className="training-items" data-testid="training-items">
            {s.item_list.map((i) => (
              <li key={i.id} className={i.answered_at ? 'is-done' : ''}>
                <Link href={`/training/items/${i.id}`} data-item={i.id}>
                  {t('training.replay', { n: i.position })}
                </Link>{' '}
                <span className="chip">{i.intent ? labelFor(t, 'intent', i.intent) : '—'}</span>{' '}
                <span className="chip">{labelFor(t, 'urgency', i.urgency)}</span>{' '}
                <span className="muted small">{i.excerpt}</span>
                {i.answered_at && (
                  <span className="small">
                    {' · '}
                    {i.needs_approval ? t('training.wouldNeedApproval') : t('training.wouldGoOut')}
                    {i.seconds_to_answer !== null ? ` · ${fmt.duration(i.seconds_to_answer * 1000)}` : ''}
                    {i.leader_score !== null ? ` · ${t('training.scoreShort', { n: i.leader_score })}` : ''}
                  </span>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </Page>
  );
}

/** A replay as a case: the anonymized thread, the composer (canned replies, checks) and, once answered, the reference. */
export function TrainingItemPage(props: { id: number }) {
  const { t } = useI18n();
  const [item, setItem] = useState<TrainingItem | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    trainingApi.item(props.id, ac.signal).then(setItem, (err: unknown) => {
      if (!isAbort(err)) setError(errorMessage(t, err));
    });
    return () => ac.abort();
  }, [props.id, t]);
  return (
    <Page section="training" title={t('training.itemTitle')}>
      {error && <p className="form-error">{error}</p>}
      {item && (
        <div className="training-item">
          <p>
            <Link href={`/training/sessions/${item.session_id}`}>{t('training.backToSession')}</Link>
          </p>
          <p className="notice small" data-testid="training-banner">
            {t('training.banner')}
          </p>
          <p className="muted small">
            {item.community?.name ?? '—'} · {item.account?.handle ?? item.channel} ·{' '}
            {item.intent ? labelFor(t, 'intent', item.intent) : '—'} · {labelFor(t, 'urgency', item.urgency)}
          </p>
          <ol className="thread training-thread" aria-label={t('training.thread')}>
            {item.thread.map((m, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the messages of one replay, in order.
              <li key={i} className={`msg msg-${m.direction}`}>
                <div>
                  <span className="msg-author">{m.author}</span>{' '}
                  <span className="muted small">{t('training.minute', { n: m.minute })}</span>
                </div>
                <p className="msg-text">{m.text}</p>
              </li>
            ))}
          </ol>
          {item.answer ? (
            <Answered item={item} onChange={setItem} />
          ) : (
            <TrainingComposer item={item} onDone={setItem} />
          )}
        </div>
      )}
    </Page>
  );
}

/** The composer on a replay: same canned replies, guideline checks and approval preview; the answer is never sent. */
function TrainingComposer(props: { item: TrainingItem; onDone(item: TrainingItem): void }) {
  const { t, fmt } = useI18n();
  const toast = useToast();
  const { item } = props;
  const [draft, setDraft] = useState('');
  const [canned, setCanned] = useState<number | undefined>(undefined);
  const [picker, setPicker] = useState(false);
  const [check, setCheck] = useState<ReplyCheck | null>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!draft.trim() || !item.is_mine) {
      setCheck(null);
      return;
    }
    const ac = new AbortController();
    const timer = setTimeout(() => {
      trainingApi.check(item.id, draft, ac.signal).then(setCheck, (err: unknown) => {
        if (!isAbort(err)) setCheck(null);
      });
    }, 400);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [draft, item.id, item.is_mine]);

  const insert = useCallback(
    async (r: CannedReply) => {
      setPicker(false);
      try {
        const rendered = await trainingApi.render(item.id, { canned_reply_id: r.id });
        setDraft((d) => (d.trim() ? `${d.trimEnd()}\n\n${rendered.text}` : rendered.text));
        setCanned(r.id);
        toast(t('canned.inserted', { title: r.title }));
      } catch (err) {
        toast(errorMessage(t, err), 'error');
      }
    },
    [item.id, t, toast],
  );

  if (!item.is_mine) return <p className="muted">{t('training.notAnswered')}</p>;

  const blocked = check?.findings.some((f) => f.severity === 'block') === true;
  const warned = check?.findings.some((f) => f.severity === 'warn') === true;
  const submit = async () => {
    if (!draft.trim()) {
      setError(t('composer.empty'));
      return;
    }
    if (warned && !acknowledged) {
      setError(t('governance.acknowledgeFirst'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      let text = draft;
      if (/\{\{/.test(text)) text = (await trainingApi.render(item.id, { text })).text;
      const answered = await trainingApi.answer(item.id, {
        text,
        ...(canned !== undefined ? { canned_reply_id: canned } : {}),
        ...(warned ? { acknowledge_warnings: true } : {}),
      });
      props.onDone(answered);
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="composer composer-reply" aria-labelledby="training-composer">
      <h2 id="training-composer" className="visually-hidden">
        {t('composer.title')}
      </h2>
      <div className="composer-top">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setPicker(true)}
          aria-haspopup="dialog"
          data-action="canned"
        >
          {t('canned.open')}
        </button>
        <span className="muted small">
          {t('training.postingAs', { handle: item.account?.handle ?? item.channel, name: item.contact.handle })}
        </span>
      </div>
      <label htmlFor="composer-text" className="visually-hidden">
        {t('composer.replyLabel', { name: item.contact.name })}
      </label>
      <textarea
        id="composer-text"
        className="composer-text"
        rows={5}
        value={draft}
        placeholder={t('composer.replyPlaceholder')}
        onChange={(e) => {
          setDraft(e.target.value);
          if (error) setError(null);
        }}
      />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {check && (
        <>
          <GuidelineFindings check={check} acknowledged={acknowledged} onAcknowledge={setAcknowledged} />
          <p className="small muted" data-testid="training-autonomy">
            {t('training.autonomy', { level: labelFor(t, 'training.level', check.autonomy) })}
          </p>
        </>
      )}
      <div className="composer-foot">
        <span className="counter">{fmt.number(characterCount(draft))}</span>
        <span className="spacer" />
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy || blocked}
          onClick={() => void submit()}
          data-action="training-answer"
        >
          {busy ? t('composer.working') : t('training.answer')}
        </button>
      </div>
      <CannedPicker
        open={picker}
        communityId={item.community?.id}
        language={item.language}
        onClose={() => setPicker(false)}
        onPick={(r) => void insert(r)}
      />
    </section>
  );
}

/** The answer with its verdict beside the team's real answer; the trainee's assessment and the leader's score. */
function Answered(props: { item: TrainingItem; onChange(item: TrainingItem): void }) {
  const { t, fmt } = useI18n();
  const toast = useToast();
  const { me } = useSession();
  const { item } = props;
  const answer = item.answer!;
  const [score, setScore] = useState(item.leader_score ?? 3);
  const [comment, setComment] = useState(item.leader_comment ?? '');
  const canScore = !item.is_mine && LEADS.has(me.role);
  const act = async (p: Promise<TrainingItem>) => {
    try {
      props.onChange(await p);
      toast(t('training.saved'));
    } catch (err) {
      toast(errorMessage(t, err), 'error');
    }
  };
  return (
    <section className="training-compare" data-testid="training-result">
      <div className="training-side">
        <h2>{t('training.yourAnswer')}</h2>
        <p className="msg-text training-answer">{answer.text}</p>
        <p className="small" data-testid="training-verdict">
          {answer.needs_approval ? t('training.wouldNeedApproval') : t('training.wouldGoOut')}
          {answer.verdict?.approval.rule ? ` (${answer.verdict.approval.rule.name})` : ''}
          {answer.seconds_to_answer !== null
            ? ` · ${t('training.took', { time: fmt.duration(answer.seconds_to_answer * 1000) })}`
            : ''}
        </p>
        {answer.verdict && <FindingList findings={answer.verdict.findings} />}
      </div>
      <div className="training-side">
        <h2>{t('training.reference')}</h2>
        <p className="msg-text training-reference" data-testid="training-reference">
          {item.reference_text}
        </p>
      </div>
      <div className="training-assess">
        <span>{t('training.selfAssess')}</span>{' '}
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            key={n}
            type="button"
            className={`btn btn-small${item.self_assessment === n ? ' is-on' : ''}`}
            disabled={!item.is_mine}
            aria-pressed={item.self_assessment === n}
            onClick={() => void act(trainingApi.selfAssess(item.id, n))}
            data-self={n}
          >
            {n}
          </button>
        ))}
      </div>
      {item.leader_score !== null && (
        <p className="small" data-testid="training-score">
          {t('training.scoreShort', { n: item.leader_score })}
          {item.leader_comment ? ` · ${item.leader_comment}` : ''}
        </p>
      )}
      {canScore && (
        <div className="training-score-form">
          <label className="field">
            <span>{t('training.leaderScore')}</span>
            <select value={score} onChange={(e) => setScore(Number(e.target.value))} data-control="leader-score">
              {[1, 2, 3, 4, 5].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <label className="field grow">
            <span>{t('training.comment')}</span>
            <input value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} />
          </label>
          <button
            type="button"
            className="btn"
            onClick={() => void act(trainingApi.score(item.id, score, comment))}
            data-action="leader-score"
          >
            {t('training.saveScore')}
          </button>
        </div>
      )}
    </section>
  );
}
