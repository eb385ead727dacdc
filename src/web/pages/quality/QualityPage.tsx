import { useCallback, useEffect, useState } from 'react';
import { isAbort } from '../../api.ts';
import { Link } from '../../components/Link.tsx';
import { Page } from '../../components/Page.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import type { MessageKey } from '../../i18n/index.ts';
import { navigate } from '../../lib/router.ts';
import { useReference, useSession } from '../../session.tsx';
import { criterionLabel } from './labels.ts';
import {
  type Criterion,
  previewScore,
  type QaScores,
  qualityApi,
  RATINGS,
  type Rating,
  type ReplyContext,
  type Review,
  type Sample,
  type ScoredCriterion,
} from './quality-api.ts';
import './quality.css';

const SCORE_ROLES = new Set(['leader', 'manager']);
const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Quality review: everyone's feedback on their own replies (to acknowledge); for leaders, drawing samples of sent
 * replies, the queue of replies to review and the latest reviews; for leaders and managers, QA scores per person
 * and community. `replyId` opens the review of one reply.
 */
export function QualityPage(props: { replyId?: number | undefined; sampleId?: number | undefined }) {
  const { t } = useI18n();
  const { me, isLeader } = useSession();
  return (
    <Page section="quality" title={t('quality.pageTitle')}>
      {props.replyId !== undefined && isLeader ? (
        <ReviewView key={props.replyId} id={props.replyId} sampleId={props.sampleId} />
      ) : (
        <>
          <MyFeedback />
          {isLeader && <Samples />}
          {isLeader && <RecentReviews />}
          {SCORE_ROLES.has(me.role) && <Scores />}
        </>
      )}
    </Page>
  );
}

function Scorecard(props: { scores: ScoredCriterion[] }) {
  const { t } = useI18n();
  return (
    <ul className="qa-scorecard">
      {props.scores.map((s) => (
        <li key={s.id} className={`qa-rating-${s.rating}`} data-criterion={s.id}>
          <span className="qa-criterion">{criterionLabel(t, s)}</span>{' '}
          <span className="qa-rating">{t(`quality.rating.${s.rating}` as MessageKey)}</span>
          {s.comment && <span className="qa-comment"> — {s.comment}</span>}
        </li>
      ))}
    </ul>
  );
}

function MyFeedback() {
  const { t, fmt } = useI18n();
  const toast = useToast();
  const [data, setData] = useState<{ items: Review[]; unacknowledged: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    (signal?: AbortSignal) =>
      qualityApi.feedback(signal).then(setData, (err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(t, err));
      }),
    [t],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load]);
  const acknowledge = async (id: number) => {
    try {
      await qualityApi.acknowledge(id);
      toast(t('quality.acknowledged'));
      await load();
    } catch (err) {
      toast(errorMessage(t, err), 'error');
    }
  };
  return (
    <section className="qa-section" aria-labelledby="qa-feedback-title" data-section="qa-feedback">
      <h2 id="qa-feedback-title">
        {t('quality.myFeedback')}
        {data && data.unacknowledged > 0 && (
          <span className="qa-badge"> {t('quality.toAcknowledge', { n: data.unacknowledged })}</span>
        )}
      </h2>
      {error ? (
        <p className="notice" role="alert">
          {error}
        </p>
      ) : !data ? (
        <p className="placeholder">{t('common.loading')}</p>
      ) : data.items.length === 0 ? (
        <p className="muted">{t('quality.noFeedback')}</p>
      ) : (
        <ul className="qa-feedback-list">
          {data.items.map((r) => (
            <li key={r.id} className="qa-card" data-review-id={r.id}>
              <p className="qa-card-head">
                <strong className="qa-score" data-score={r.overall_score}>
                  {t('quality.score', { score: r.overall_score })}
                </strong>{' '}
                {t('quality.reviewedBy', { name: r.reviewer_name, time: fmt.dateTime(r.created_at) })}{' '}
                <Link href={`/cases/${r.case_id}`}>{t('quality.openCase', { id: r.case_id })}</Link>
              </p>
              {r.reply_text && <blockquote className="qa-reply-text">{r.reply_text}</blockquote>}
              <Scorecard scores={r.scores} />
              {r.feedback && <p className="qa-feedback-text">{r.feedback}</p>}
              {r.acknowledged_by_author_at ? (
                <p className="muted small">
                  {t('quality.acknowledgedAt', { time: fmt.dateTime(r.acknowledged_by_author_at) })}
                </p>
              ) : (
                <button type="button" className="btn btn-small" onClick={() => void acknowledge(r.id)}>
                  {t('quality.acknowledge')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Samples() {
  const { t, fmt } = useI18n();
  const toast = useToast();
  const { me } = useSession();
  const { people } = useReference();
  const [community, setCommunity] = useState<number | undefined>(me.communities[0]?.id);
  const [person, setPerson] = useState<number | undefined>(undefined);
  const [from, setFrom] = useState(day(Date.now() - 30 * DAY));
  const [to, setTo] = useState(day(Date.now() + DAY));
  const [size, setSize] = useState(5);
  const [seed, setSeed] = useState('');
  const [samples, setSamples] = useState<Sample[] | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(
    (signal?: AbortSignal) =>
      qualityApi.samples(signal).then(
        (r) => setSamples(r.items),
        (err: unknown) => {
          if (!isAbort(err)) toast(errorMessage(t, err), 'error');
        },
      ),
    [t, toast],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load]);
  const draw = async () => {
    if (community === undefined) return;
    setBusy(true);
    try {
      const s = await qualityApi.drawSample({
        community_id: community,
        ...(person !== undefined ? { person_id: person } : {}),
        from,
        to,
        size,
        ...(seed.trim() ? { seed: Number(seed) } : {}),
      });
      toast(t('quality.drawn', { n: s.items.length, seed: s.seed }));
      await load();
    } catch (err) {
      toast(errorMessage(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };
  const communityName = (id: number) => me.communities.find((c) => c.id === id)?.name ?? `#${id}`;
  const candidates = (people ?? []).filter((p) => community !== undefined && p.community_ids.includes(community));
  const queue = (samples ?? []).flatMap((s) => s.items.filter((i) => !i.review).map((i) => ({ sample: s, item: i })));
  return (
    <section className="qa-section" aria-labelledby="qa-samples-title" data-section="qa-samples">
      <h2 id="qa-samples-title">{t('quality.samples')}</h2>
      <form
        className="qa-draw"
        onSubmit={(e) => {
          e.preventDefault();
          void draw();
        }}
      >
        <label className="field-inline">
          <span>{t('quality.community')}</span>
          <select
            value={community ?? ''}
            onChange={(e) => {
              setCommunity(e.target.value ? Number(e.target.value) : undefined);
              setPerson(undefined);
            }}
            data-control="qa-community"
          >
            {me.communities.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field-inline">
          <span>{t('quality.person')}</span>
          <select
            value={person ?? ''}
            onChange={(e) => setPerson(e.target.value ? Number(e.target.value) : undefined)}
            data-control="qa-person"
          >
            <option value="">{t('quality.everyone')}</option>
            {candidates.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field-inline">
          <span>{t('quality.from')}</span>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label className="field-inline">
          <span>{t('quality.to')}</span>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <label className="field-inline">
          <span>{t('quality.size')}</span>
          <input
            type="number"
            min={1}
            max={200}
            value={size}
            onChange={(e) => setSize(Number(e.target.value))}
            data-control="qa-size"
          />
        </label>
        <label className="field-inline">
          <span>{t('quality.seed')}</span>
          <input
            type="number"
            min={1}
            value={seed}
            placeholder={t('quality.seedAuto')}
            onChange={(e) => setSeed(e.target.value)}
            data-control="qa-seed"
          />
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy || community === undefined}>
          {t('quality.draw')}
        </button>
      </form>
      <h3>{t('quality.queue')}</h3>
      {!samples ? (
        <p className="placeholder">{t('common.loading')}</p>
      ) : queue.length === 0 ? (
        <p className="muted">{t('quality.queueEmpty')}</p>
      ) : (
        <table className="data-table qa-queue">
          <thead>
            <tr>
              <th scope="col">{t('quality.author')}</th>
              <th scope="col">{t('quality.community')}</th>
              <th scope="col">{t('quality.reply')}</th>
              <th scope="col">{t('quality.sentAt')}</th>
              <th scope="col">{t('quality.sampleCol')}</th>
            </tr>
          </thead>
          <tbody>
            {queue.map(({ sample, item }) => (
              <tr key={`${sample.id}-${item.message_id}`} data-message-id={item.message_id}>
                <td>{item.author_name ?? '—'}</td>
                <td>{communityName(sample.community_id)}</td>
                <td>
                  <Link href={`/quality/replies/${item.message_id}?sample=${sample.id}`}>
                    {item.excerpt ?? t('quality.review')}
                  </Link>
                </td>
                <td>{item.created_at ? fmt.dateTime(item.created_at) : '—'}</td>
                <td className="muted small">{t('quality.sampleRef', { id: sample.id, seed: sample.seed })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ReviewView(props: { id: number; sampleId: number | undefined }) {
  const { t, fmt } = useI18n();
  const toast = useToast();
  const [ctx, setCtx] = useState<ReplyContext | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ratings, setRatings] = useState<Record<string, Rating>>({});
  const [comments, setComments] = useState<Record<string, string>>({});
  const [feedback, setFeedback] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const ac = new AbortController();
    qualityApi.reply(props.id, ac.signal).then(setCtx, (err: unknown) => {
      if (!isAbort(err)) setError(errorMessage(t, err));
    });
    return () => ac.abort();
  }, [props.id, t]);
  if (error)
    return (
      <p className="notice" role="alert">
        {error}
      </p>
    );
  if (!ctx) return <p className="placeholder">{t('common.loading')}</p>;
  const card: Criterion[] = ctx.scorecard;
  const score = previewScore(card.map((c) => ratings[c.id]));
  const complete = card.every((c) => ratings[c.id] !== undefined) && score !== null;
  const submit = async () => {
    setBusy(true);
    try {
      const r = await qualityApi.review({
        message_id: props.id,
        ...(props.sampleId !== undefined ? { sample_id: props.sampleId } : {}),
        scores: card.map((c) => ({
          id: c.id,
          rating: ratings[c.id]!,
          ...(comments[c.id]?.trim() ? { comment: comments[c.id]!.trim() } : {}),
        })),
        feedback,
      });
      toast(t('quality.submitted', { score: r.overall_score }));
      navigate('/quality');
    } catch (err) {
      toast(errorMessage(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="qa-review">
      <p>
        <Link href="/quality">{t('quality.back')}</Link>
      </p>
      <section className="qa-section" aria-labelledby="qa-thread-title">
        <h2 id="qa-thread-title">
          {t('quality.replyBy', { name: ctx.reply.author_name, account: ctx.reply.account_handle })}{' '}
          <Link href={`/cases/${ctx.reply.case_id}`}>{t('quality.openCase', { id: ctx.reply.case_id })}</Link>
        </h2>
        <ol className="qa-thread">
          {ctx.thread.map((m) => (
            <li
              key={m.id}
              className={`qa-msg qa-msg-${m.direction}${m.is_reviewed_reply ? ' qa-msg-reviewed' : ''}`}
              data-message-id={m.id}
              aria-current={m.is_reviewed_reply ? 'true' : undefined}
            >
              <p className="muted small">
                {m.author} · {fmt.dateTime(m.created_at)}
                {m.is_reviewed_reply && <strong> · {t('quality.reviewedReply')}</strong>}
              </p>
              <p className="qa-msg-text">{m.text}</p>
            </li>
          ))}
        </ol>
      </section>
      {ctx.reviews.length > 0 && (
        <section className="qa-section">
          <h2>{t('quality.earlierReviews')}</h2>
          {ctx.reviews.map((r) => (
            <div key={r.id} className="qa-card">
              <p>
                <strong>{t('quality.score', { score: r.overall_score })}</strong> · {r.reviewer_name}
              </p>
              <Scorecard scores={r.scores} />
            </div>
          ))}
        </section>
      )}
      <form
        className="qa-section qa-form"
        aria-labelledby="qa-form-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (complete) void submit();
        }}
      >
        <h2 id="qa-form-title">{t('quality.scorecard')}</h2>
        {card.map((c) => (
          <fieldset key={c.id} className="qa-criterion-field" data-criterion={c.id}>
            <legend>{criterionLabel(t, c)}</legend>
            <div className="qa-choices">
              {RATINGS.map((r) => (
                <label key={r} className="qa-choice">
                  <input
                    type="radio"
                    name={`qa-${c.id}`}
                    value={r}
                    checked={ratings[c.id] === r}
                    onChange={() => setRatings((x) => ({ ...x, [c.id]: r }))}
                  />
                  {t(`quality.rating.${r}` as MessageKey)}
                </label>
              ))}
            </div>
            <input
              type="text"
              className="qa-criterion-comment"
              aria-label={t('quality.criterionComment', { criterion: criterionLabel(t, c) })}
              placeholder={t('quality.commentPlaceholder')}
              maxLength={2000}
              value={comments[c.id] ?? ''}
              onChange={(e) => setComments((x) => ({ ...x, [c.id]: e.target.value }))}
            />
          </fieldset>
        ))}
        <label className="field">
          <span>{t('quality.feedback')}</span>
          <textarea
            rows={4}
            maxLength={5000}
            value={feedback}
            onChange={(e) => setFeedback(e.target.value)}
            data-control="qa-feedback"
          />
        </label>
        <p className="qa-preview" data-preview-score={score ?? ''}>
          {score === null ? t('quality.previewNone') : t('quality.preview', { score })}
        </p>
        <button type="submit" className="btn btn-primary" disabled={busy || !complete}>
          {t('quality.submit')}
        </button>
      </form>
    </div>
  );
}

function RecentReviews() {
  const { t, fmt } = useI18n();
  const { me } = useSession();
  const [items, setItems] = useState<Review[] | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    qualityApi.reviews({}, ac.signal).then(
      (r) => setItems(r.items),
      () => setItems([]),
    );
    return () => ac.abort();
  }, []);
  const communityName = (id: number) => me.communities.find((c) => c.id === id)?.name ?? `#${id}`;
  return (
    <section className="qa-section" aria-labelledby="qa-reviews-title" data-section="qa-reviews">
      <h2 id="qa-reviews-title">{t('quality.reviews')}</h2>
      {!items ? (
        <p className="placeholder">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted">{t('quality.noReviews')}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('quality.author')}</th>
              <th scope="col">{t('quality.community')}</th>
              <th scope="col">{t('quality.scoreCol')}</th>
              <th scope="col">{t('quality.reviewer')}</th>
              <th scope="col">{t('quality.reviewedAt')}</th>
              <th scope="col">{t('quality.acknowledgedCol')}</th>
            </tr>
          </thead>
          <tbody>
            {items.slice(0, 50).map((r) => (
              <tr key={r.id} data-review-id={r.id}>
                <td>{r.author_name}</td>
                <td>{communityName(r.community_id)}</td>
                <td>
                  <Link href={`/quality/replies/${r.message_id}`}>{r.overall_score}</Link>
                </td>
                <td>{r.reviewer_name}</td>
                <td>{fmt.dateTime(r.created_at)}</td>
                <td>{r.acknowledged_by_author_at ? fmt.dateTime(r.acknowledged_by_author_at) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function FailedList(props: { failed: QaScores['total']['most_failed'] }) {
  const { t } = useI18n();
  if (props.failed.length === 0) return <>—</>;
  return <>{props.failed.map((f) => `${criterionLabel(t, f)} (${f.fails})`).join(', ')}</>;
}

function Scores() {
  const { t, fmt } = useI18n();
  const { me } = useSession();
  const [from, setFrom] = useState(day(Date.now() - 30 * DAY));
  const [to, setTo] = useState(day(Date.now() + DAY));
  const [data, setData] = useState<QaScores | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    qualityApi.scores({ from, to }, ac.signal).then(
      (r) => {
        setData(r);
        setError(null);
      },
      (err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(t, err));
      },
    );
    return () => ac.abort();
  }, [from, to, t]);
  const communityName = (id: number) => me.communities.find((c) => c.id === id)?.name ?? `#${id}`;
  const mean = (v: number | null) => (v === null ? '—' : fmt.number(v));
  return (
    <section className="qa-section" aria-labelledby="qa-scores-title" data-section="qa-scores">
      <h2 id="qa-scores-title">{t('quality.scores')}</h2>
      <div className="qa-draw">
        <label className="field-inline">
          <span>{t('quality.from')}</span>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="field-inline">
          <span>{t('quality.to')}</span>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      {error ? (
        <p className="notice" role="alert">
          {error}
        </p>
      ) : !data ? (
        <p className="placeholder">{t('common.loading')}</p>
      ) : (
        <>
          <p data-total-reviews={data.total.reviews}>
            {t('quality.total', { n: data.total.reviews, mean: mean(data.total.mean_score) })}
          </p>
          <table className="data-table qa-scores-people">
            <caption>{t('quality.byPerson')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('quality.author')}</th>
                <th scope="col">{t('quality.reviewsCol')}</th>
                <th scope="col">{t('quality.meanCol')}</th>
                <th scope="col">{t('quality.mostFailed')}</th>
              </tr>
            </thead>
            <tbody>
              {data.people.map((p) => (
                <tr key={p.person_id} data-person-id={p.person_id}>
                  <td>{p.name}</td>
                  <td>{fmt.number(p.reviews)}</td>
                  <td>{mean(p.mean_score)}</td>
                  <td>
                    <FailedList failed={p.most_failed} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="data-table qa-scores-communities">
            <caption>{t('quality.byCommunity')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('quality.community')}</th>
                <th scope="col">{t('quality.reviewsCol')}</th>
                <th scope="col">{t('quality.meanCol')}</th>
                <th scope="col">{t('quality.mostFailed')}</th>
              </tr>
            </thead>
            <tbody>
              {data.communities.map((c) => (
                <tr key={c.community_id} data-community-id={c.community_id}>
                  <td>{communityName(c.community_id)}</td>
                  <td>{fmt.number(c.reviews)}</td>
                  <td>{mean(c.mean_score)}</td>
                  <td>
                    <FailedList failed={c.most_failed} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
