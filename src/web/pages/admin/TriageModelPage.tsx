import { useCallback, useEffect, useState } from 'react';
import { api, type HeldOut, type HeldOutScore, isAbort, type RetrainOutcome, type TriageModel } from '../../api.ts';
import { Page } from '../../components/Page.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import type { MessageKey } from '../../i18n/index.ts';

const FIELDS: { key: keyof Omit<HeldOut, 'n'>; label: MessageKey }[] = [
  { key: 'sentiment', label: 'label.sentiment' },
  { key: 'intent', label: 'label.intent' },
  { key: 'topics', label: 'triage.mainTopic' },
  { key: 'team', label: 'triage.team' },
];

/** The organization's triage model: when it last learned from the team's corrections, how it scored, retrain. */
export function TriageModelPage() {
  const { t } = useI18n();
  return (
    <Page section="admin_triage" title={t('triageModel.title')} leaderOnly>
      <TriageModelPanel />
    </Page>
  );
}

export function TriageModelPanel() {
  const { t, tn, fmt } = useI18n();
  const [model, setModel] = useState<TriageModel | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<RetrainOutcome | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setModel(await api.triageModel(signal));
        setError(null);
      } catch (err) {
        if (!isAbort(err)) setError(errorMessage(t, err));
      }
    },
    [t],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load]);

  const retrain = async () => {
    setBusy(true);
    setOutcome(null);
    setError(null);
    try {
      setOutcome(await api.retrain());
      await load();
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  if (!model) {
    return error ? (
      <p className="form-error" role="alert">
        {error}
      </p>
    ) : (
      <p className="placeholder">{t('common.loading')}</p>
    );
  }
  const heldOut = model.trained?.result?.heldOut;
  const enough = model.corrections.total >= model.min_examples;
  return (
    <section className="card triage-model" aria-labelledby="triage-model-title" data-testid="triage-model">
      <h2 id="triage-model-title" className="card-title">
        {t('triageModel.inUse')}
      </h2>
      <dl className="facts facts-wide">
        <dt>{t('triageModel.model')}</dt>
        <dd>
          <code>{model.model}</code>
        </dd>
        <dt>{t('triageModel.lastTrained')}</dt>
        <dd data-testid="trained-at">
          {model.trained
            ? t('triageModel.trainedOn', {
                date: fmt.dateTime(model.trained.trained_at),
                n: fmt.number(model.trained.examples),
              })
            : t('triageModel.neverTrained')}
        </dd>
        <dt>{t('triageModel.corrections')}</dt>
        <dd data-testid="corrections">
          {tn('triageModel.correctionsCount', model.corrections.total)}
          {' · '}
          {tn('triageModel.pending', model.corrections.pending)}
        </dd>
      </dl>
      {heldOut && heldOut.n > 0 ? (
        <HeldOutTable heldOut={heldOut} />
      ) : model.trained ? (
        <p className="muted small">{t('triageModel.noHeldOut')}</p>
      ) : null}
      <div className="card-actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy}
          onClick={() => void retrain()}
          data-action="retrain"
        >
          {busy ? t('triageModel.training') : t('triageModel.retrain')}
        </button>
        {!enough && (
          <span className="muted small">
            {t('triageModel.needMore', {
              n: fmt.number(model.corrections.total),
              min: fmt.number(model.min_examples),
            })}
          </span>
        )}
      </div>
      {outcome && (
        <p
          className={`notice${outcome.trained ? ' notice-ok' : ' notice-warn'}`}
          role="status"
          data-testid="retrain-outcome"
          data-trained={String(outcome.trained)}
        >
          {outcome.trained
            ? t('triageModel.trained', { n: fmt.number(outcome.examples), model: outcome.model_id })
            : outcome.reason === 'too_few'
              ? t('triageModel.tooFew', { n: fmt.number(outcome.examples), min: fmt.number(model.min_examples) })
              : outcome.reason === 'busy'
                ? t('triageModel.busy')
                : t('triageModel.upToDate')}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <p className="muted small">{t('triageModel.explain')}</p>
    </section>
  );
}

function HeldOutTable(props: { heldOut: HeldOut }) {
  const { t, fmt } = useI18n();
  const rows = FIELDS.filter((f) => props.heldOut[f.key]);
  const score = (s: HeldOutScore) => fmt.percent(s.accuracy);
  const delta = (a: number, b: number) => {
    const d = Math.round((b - a) * 100);
    return d === 0 ? '±0' : d > 0 ? `+${d}` : `−${-d}`;
  };
  return (
    <table className="data-table" data-testid="held-out">
      <caption>{t('triageModel.heldOut', { n: fmt.number(props.heldOut.n) })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('triageModel.field')}</th>
          <th scope="col">{t('triageModel.accuracy')}</th>
          <th scope="col">{t('triageModel.macroF1')}</th>
          <th scope="col">{t('triageModel.examples')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((f) => {
          const s = props.heldOut[f.key]!;
          const better = s.after.accuracy > s.before.accuracy;
          const worse = s.after.accuracy < s.before.accuracy;
          return (
            <tr key={f.key} data-field={f.key}>
              <th scope="row">{t(f.label)}</th>
              <td className={better ? 'up' : worse ? 'down' : ''}>
                {t('triageModel.beforeAfter', { before: score(s.before), after: score(s.after) })}{' '}
                <span className="muted small">
                  ({delta(s.before.accuracy, s.after.accuracy)} {t('triageModel.points')})
                </span>
              </td>
              <td>
                {t('triageModel.beforeAfter', {
                  before: fmt.percent(s.before.macroF1),
                  after: fmt.percent(s.after.macroF1),
                })}
              </td>
              <td>{fmt.number(s.after.n)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
