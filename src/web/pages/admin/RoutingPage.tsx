import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  ApiError,
  api,
  isAbort,
  type PolicyVersionSummary,
  type RoutingPolicy,
  type RoutingPreview,
  type Rule,
} from '../../api.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Link } from '../../components/Link.tsx';
import { Page } from '../../components/Page.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { useReference, useSession } from '../../session.tsx';
import { describeActions, describeConditions, RuleEditor } from './RuleEditor.tsx';
import { cleanRule, localProblems, moveRule, newRule, ruleIndexOfField, samePolicy, stableJson } from './routing.ts';

/** The routing policy for leaders: ordered rules to edit, test on recent messages, save with a note, restore. */
export function RoutingPage() {
  const { t } = useI18n();
  return (
    <Page section="admin_routing" title={t('rules.title')} leaderOnly>
      <RoutingEditor />
    </Page>
  );
}

function useNames() {
  const { me } = useSession();
  const { teams } = useReference();
  return {
    community: (slug: string) => me.communities.find((c) => c.slug === slug)?.name ?? slug,
    team: (slug: string) => teams?.find((x) => x.slug === slug)?.name ?? slug.replaceAll('_', ' '),
  };
}

function RoutingEditor() {
  const { t, fmt } = useI18n();
  const notify = useToast();
  const names = useNames();
  const [policy, setPolicy] = useState<RoutingPolicy | null>(null);
  const [rules, setRules] = useState<Rule[]>([]);
  const [versions, setVersions] = useState<PolicyVersionSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<Map<number, string>>(new Map());
  const [generalError, setGeneralError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const [preview, setPreview] = useState<{ result: RoutingPreview; of: string } | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [viewing, setViewing] = useState<number | null>(null);
  const focusAfterMove = useRef<string | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const [p, v] = await Promise.all([api.routingPolicy(signal), api.routingVersions(signal)]);
        setPolicy(p);
        setRules(p.rules);
        setVersions(v);
        setLoadError(null);
      } catch (err) {
        if (!isAbort(err)) setLoadError(errorMessage(t, err));
      }
    },
    [t],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load]);

  useEffect(() => {
    const id = focusAfterMove.current;
    if (!id) return;
    focusAfterMove.current = null;
    document.querySelector<HTMLElement>(`[data-rule-id="${CSS.escape(id)}"] .rule-toggle`)?.focus();
  });

  const dirty = policy !== null && !samePolicy(rules, policy.rules);
  const rulesKey = useMemo(() => stableJson(rules.map(cleanRule)), [rules]);
  const previewFresh = preview?.of === rulesKey;

  const change = (i: number, rule: Rule) => {
    setRules((list) => list.map((r, j) => (j === i ? rule : r)));
    if (errors.has(i)) setErrors((m) => new Map([...m].filter(([k]) => k !== i)));
  };
  const move = (i: number, delta: number) => {
    focusAfterMove.current = rules[i]?.id ?? null;
    setRules((list) => moveRule(list, i, delta));
    setErrors(new Map());
  };
  const remove = (i: number) => {
    setRules((list) => list.filter((_, j) => j !== i));
    setErrors(new Map());
  };
  const add = () => {
    const r = newRule(rules, t('rules.newName'));
    // New rules go before the last one, which is usually the catch-all default.
    const at =
      rules.length > 0 && Object.keys(rules[rules.length - 1]!.when).length === 0 ? rules.length - 1 : rules.length;
    setRules((list) => [...list.slice(0, at), r, ...list.slice(at)]);
    setOpen((s) => new Set([...s, r.id]));
    requestAnimationFrame(() =>
      document
        .querySelector<HTMLInputElement>(`[data-rule-id="${CSS.escape(r.id)}"] [data-control="rule-name"]`)
        ?.select(),
    );
  };

  const runPreview = async () => {
    setPreviewing(true);
    setGeneralError(null);
    try {
      const result = await api.previewRouting(rules.map(cleanRule));
      setPreview({ result, of: rulesKey });
    } catch (err) {
      showError(err);
    } finally {
      setPreviewing(false);
    }
  };

  const showError = (err: unknown) => {
    const index = err instanceof ApiError ? ruleIndexOfField(err.field) : null;
    const text = err instanceof ApiError && err.status === 400 ? err.message : errorMessage(t, err);
    if (index !== null && rules[index]) {
      setErrors(new Map([[index, text]]));
      setOpen((s) => new Set([...s, rules[index]!.id]));
      const id = rules[index]!.id;
      requestAnimationFrame(() =>
        document
          .querySelector(`[data-rule-id="${CSS.escape(id)}"] [data-testid="rule-error"]`)
          ?.scrollIntoView({ block: 'center' }),
      );
    } else setGeneralError(text);
  };

  const save = async (toSave: Rule[], withNote: string) => {
    const problems = localProblems(toSave);
    if (problems.size > 0) {
      setErrors(
        new Map([...problems].map(([i, p]) => [i, p === 'name' ? t('rules.needName') : t('rules.needTime')] as const)),
      );
      return false;
    }
    setSaving(true);
    setErrors(new Map());
    setGeneralError(null);
    try {
      const { version } = await api.saveRouting(toSave.map(cleanRule), withNote.trim());
      notify(t('rules.saved', { v: version }));
      setNote('');
      setPreview(null);
      await load();
      return true;
    } catch (err) {
      showError(err);
      return false;
    } finally {
      setSaving(false);
    }
  };

  if (!policy) {
    return loadError ? (
      <p className="form-error" role="alert">
        {loadError}
      </p>
    ) : (
      <p className="placeholder">{t('common.loading')}</p>
    );
  }

  const counts = new Map((previewFresh ? preview!.result.rules : []).map((r) => [r.id, r]));
  return (
    <div className="routing-layout">
      <div className="routing-main">
        <p className="muted small">{t('rules.intro')}</p>
        <div className="routing-toolbar" role="toolbar" aria-label={t('rules.toolbar')}>
          <span className="small" data-testid="policy-version">
            {policy.version === 0
              ? t('rules.builtIn')
              : t('rules.inForce', {
                  v: policy.version,
                  date: fmt.dateTime(policy.created_at),
                })}
          </span>
          {dirty && (
            <span className="pill pill-waiting_internal" data-testid="dirty">
              {t('rules.unsaved')}
            </span>
          )}
          <span className="spacer" />
          <button type="button" className="btn" onClick={add} data-action="add-rule">
            {t('rules.add')}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => void runPreview()}
            disabled={previewing || rules.length === 0}
            data-action="preview"
          >
            {previewing ? t('rules.testing') : t('rules.test')}
          </button>
        </div>
        {preview && (
          <p className={`notice${previewFresh ? '' : ' notice-warn'}`} role="status" data-testid="preview-summary">
            {t('rules.previewSummary', {
              messages: fmt.number(preview.result.messages),
              unmatched: fmt.number(preview.result.unmatched),
              changes: fmt.number(preview.result.team_changes),
            })}
            {!previewFresh && ` ${t('rules.previewStale')}`}
          </p>
        )}
        {generalError && (
          <p className="form-error" role="alert" data-testid="policy-error">
            {generalError}
          </p>
        )}
        <ol className="rule-list" aria-label={t('rules.list')}>
          {rules.map((r, i) => {
            const isOpen = open.has(r.id);
            const count = counts.get(r.id);
            const error = errors.get(i);
            return (
              <li
                key={r.id}
                className={`rule-card${r.enabled ? '' : ' is-disabled'}${error ? ' has-error' : ''}`}
                data-rule-id={r.id}
              >
                <div className="rule-head">
                  <span className="rule-pos" aria-hidden="true">
                    {i + 1}
                  </span>
                  <label className="rule-enabled">
                    <input
                      type="checkbox"
                      checked={r.enabled}
                      onChange={(e) => change(i, { ...r, enabled: e.target.checked })}
                      aria-label={t('rules.enabledOf', { name: r.name })}
                      data-control="enabled"
                    />
                  </label>
                  <button
                    type="button"
                    className="rule-toggle"
                    aria-expanded={isOpen}
                    onClick={() =>
                      setOpen((s) => {
                        const next = new Set(s);
                        if (next.has(r.id)) next.delete(r.id);
                        else next.add(r.id);
                        return next;
                      })
                    }
                  >
                    <span className="visually-hidden">{t('rules.position', { n: i + 1 })} </span>
                    <span className="rule-name">{r.name || t('rules.unnamed')}</span>
                    {!r.enabled && <span className="muted small"> · {t('rules.disabled')}</span>}
                  </button>
                  {count && (
                    <span className="rule-count" data-count={count.count}>
                      {t('rules.matches', { n: fmt.number(count.count), of: fmt.number(preview!.result.messages) })}
                    </span>
                  )}
                  <span className="rule-buttons">
                    <button
                      type="button"
                      className="btn btn-small btn-quiet"
                      disabled={i === 0}
                      onClick={() => move(i, -1)}
                      aria-label={t('rules.moveUp', { name: r.name })}
                      data-action="up"
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="btn btn-small btn-quiet"
                      disabled={i === rules.length - 1}
                      onClick={() => move(i, 1)}
                      aria-label={t('rules.moveDown', { name: r.name })}
                      data-action="down"
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      className="btn btn-small btn-quiet"
                      onClick={() => remove(i)}
                      aria-label={t('rules.delete', { name: r.name })}
                      disabled={rules.length === 1}
                      data-action="delete"
                    >
                      {t('common.delete')}
                    </button>
                  </span>
                </div>
                <p className="rule-summary small">
                  <span className="muted">{t('rules.when')}</span>{' '}
                  {describeConditions(t, fmt.list, r.when, names.community)}{' '}
                  <span className="muted">{t('rules.then')}</span>{' '}
                  {describeActions(t, fmt.list, r.actions, names.team, r.continue)}
                </p>
                {error && (
                  <p className="form-error" role="alert" data-testid="rule-error">
                    {error}
                  </p>
                )}
                {count && count.samples.length > 0 && (
                  <details className="rule-samples">
                    <summary className="rule-samples-summary">
                      {t('rules.samples', { n: count.samples.length })}
                    </summary>
                    <ul>
                      {count.samples.map((s) => (
                        <li key={s.message_id}>
                          <Link href={`/cases/${s.case_id}`}>#{s.case_id}</Link>{' '}
                          <span className="sample-text">{s.excerpt}</span>
                          <span className="muted small"> — {s.reasons.join(', ')}</span>
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
                {isOpen && <RuleEditor rule={r} onChange={(next) => change(i, next)} />}
              </li>
            );
          })}
        </ol>
        <form
          className="save-bar"
          onSubmit={(e) => {
            e.preventDefault();
            void save(rules, note);
          }}
        >
          <label className="grow">
            <span className="field-label">{t('rules.note')}</span>
            <input
              type="text"
              value={note}
              maxLength={500}
              placeholder={t('rules.notePlaceholder')}
              onChange={(e) => setNote(e.target.value)}
              className="save-note"
              data-control="note"
            />
          </label>
          <button
            type="button"
            className="btn"
            disabled={!dirty || saving}
            onClick={() => {
              setRules(policy.rules);
              setErrors(new Map());
              setGeneralError(null);
            }}
          >
            {t('rules.discard')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={!dirty || saving} data-action="save">
            {saving ? t('common.saving') : t('rules.save')}
          </button>
        </form>
      </div>
      <aside className="routing-side" aria-labelledby="versions-title">
        <h2 id="versions-title" className="panel-title">
          {t('rules.versions')}
        </h2>
        {!versions ? (
          <p className="muted small">{t('common.loading')}</p>
        ) : versions.length === 0 ? (
          <p className="muted small">{t('rules.noVersions')}</p>
        ) : (
          <ol className="versions">
            {versions.map((v) => (
              <li
                key={v.version}
                data-version={v.version}
                className={`version-item${v.version === policy.version ? ' is-current' : ''}`}
              >
                <span className="version-top">
                  <strong>{t('rules.versionN', { v: v.version })}</strong>
                  {v.version === policy.version && <span className="pill pill-resolved">{t('rules.current')}</span>}
                </span>
                <span className="small">{v.note || t('rules.noNote')}</span>
                <span className="muted small">
                  {v.author ?? t('common.system')} · {fmt.dateTime(v.created_at)}
                  {typeof v.rules === 'number' ? ` · ${t('rules.ruleCount', { n: v.rules })}` : ''}
                </span>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => setViewing(v.version)}
                  aria-label={t('rules.viewVersion', { v: v.version })}
                  data-action="view-version"
                >
                  {t('rules.view')}
                </button>
              </li>
            ))}
          </ol>
        )}
      </aside>
      <VersionDialog
        version={viewing}
        current={policy.version}
        onClose={() => setViewing(null)}
        onEdit={(r) => {
          setRules(r);
          setViewing(null);
          setErrors(new Map());
        }}
        onRestore={async (r, v) => {
          if (await save(r, t('rules.restoreNote', { v }))) setViewing(null);
        }}
      />
    </div>
  );
}

/** One saved version, read-only, with "restore" (saved again as a new version) and "edit from it". */
function VersionDialog(props: {
  version: number | null;
  current: number;
  onClose(): void;
  onEdit(rules: Rule[]): void;
  onRestore(rules: Rule[], v: number): Promise<void>;
}) {
  const { t, fmt } = useI18n();
  const names = useNames();
  const [data, setData] = useState<RoutingPolicy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { version } = props;
  useEffect(() => {
    setData(null);
    setError(null);
    if (version === null) return;
    const ac = new AbortController();
    api.routingVersion(version, ac.signal).then(setData, (err: unknown) => {
      if (!isAbort(err)) setError(errorMessage(t, err));
    });
    return () => ac.abort();
  }, [version, t]);
  return (
    <Dialog
      open={version !== null}
      onClose={props.onClose}
      title={version !== null ? t('rules.versionN', { v: version }) : ''}
      wide
      testId="version-dialog"
      footer={
        data && (
          <>
            <button type="button" className="btn" onClick={() => props.onEdit(data.rules)}>
              {t('rules.editFrom')}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || data.version === props.current}
              onClick={async () => {
                setBusy(true);
                await props.onRestore(data.rules, data.version);
                setBusy(false);
              }}
              data-action="restore"
            >
              {t('rules.restore', { v: data.version })}
            </button>
          </>
        )
      }
    >
      {error && <p className="form-error">{error}</p>}
      {!data && !error && <p className="muted">{t('common.loading')}</p>}
      {data && (
        <>
          <p className="small muted">
            {data.note || t('rules.noNote')} · {fmt.dateTime(data.created_at)}
          </p>
          <ol className="version-rules">
            {data.rules.map((r) => (
              <li key={r.id} className={r.enabled ? '' : 'is-disabled'}>
                <strong>{r.name}</strong>
                {!r.enabled && <span className="muted small"> · {t('rules.disabled')}</span>}
                <p className="small">
                  <span className="muted">{t('rules.when')}</span>{' '}
                  {describeConditions(t, fmt.list, r.when, names.community)}{' '}
                  <span className="muted">{t('rules.then')}</span>{' '}
                  {describeActions(t, fmt.list, r.actions, names.team, r.continue)}
                </p>
              </li>
            ))}
          </ol>
        </>
      )}
    </Dialog>
  );
}
