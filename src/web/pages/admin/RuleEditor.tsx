import { cloneElement, isValidElement, type ReactNode, useId, useMemo } from 'react';
import {
  type AssignStrategy,
  INTENTS,
  PRIORITIES,
  type Rule,
  type RuleActions,
  type RuleConditions,
  type RulePriority,
  SENSITIVE_FLAGS,
  SENTIMENTS,
  TOPICS,
  URGENCIES,
  type Urgency,
} from '../../api.ts';
import { TagInput } from '../../components/TagInput.tsx';
import { useI18n } from '../../i18n/context.tsx';
import { labelFor, type Translate } from '../../i18n/index.ts';
import { useReference, useSession } from '../../session.tsx';
import { dayNames } from '../duty/schedule.ts';

const BASE_LANGUAGES = ['fr', 'de', 'it', 'en'];
const ASSIGN: AssignStrategy[] = ['least_loaded', 'round_robin', 'none'];

/** Checkboxes for a set of known values; values outside the known ones (from an older policy) stay listed. */
function CheckGroup(props: {
  legend: string;
  options: { value: string; label: string }[];
  values: string[] | undefined;
  onChange(values: string[]): void;
  testId?: string;
}) {
  const values = props.values ?? [];
  const options = [
    ...props.options,
    ...values.filter((v) => !props.options.some((o) => o.value === v)).map((v) => ({ value: v, label: v })),
  ];
  return (
    <fieldset className="check-group" data-testid={props.testId}>
      <legend>{props.legend}</legend>
      <div className="check-options">
        {options.map((o) => (
          <label key={o.value} className="check-option">
            <input
              type="checkbox"
              value={o.value}
              checked={values.includes(o.value)}
              onChange={(e) =>
                props.onChange(e.target.checked ? [...values, o.value] : values.filter((v) => v !== o.value))
              }
            />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function Field(props: { label: string; children: ReactNode; hint?: string; wide?: boolean }) {
  const id = useId();
  return (
    <div className={`form-field${props.wide ? ' wide' : ''}`}>
      <label htmlFor={id} className="field-label">
        {props.label}
      </label>
      <FieldControl id={id} hintId={props.hint ? `${id}-hint` : undefined}>
        {props.children}
      </FieldControl>
      {props.hint && (
        <p id={`${id}-hint`} className="muted small">
          {props.hint}
        </p>
      )}
    </div>
  );
}

/** Gives the single control inside a Field its id (and hint), so the label points at it. */
function FieldControl(props: { id: string; hintId: string | undefined; children: ReactNode }) {
  if (!isValidElement<Record<string, unknown>>(props.children)) return <>{props.children}</>;
  return cloneElement(props.children, { id: props.id, 'aria-describedby': props.hintId, className: 'field-control' });
}

const triState = (v: boolean | undefined) => (v === undefined ? '' : v ? 'yes' : 'no');
const fromTriState = (s: string) => (s === '' ? undefined : s === 'yes');

/** The form of one rule: its name, conditions (all must hold) and actions. */
export function RuleEditor(props: { rule: Rule; onChange(rule: Rule): void }) {
  const { t, fmt, locale } = useI18n();
  const { me } = useSession();
  const { communities, teams } = useReference();
  const r = props.rule;
  const w = r.when;
  const a = r.actions;
  const setWhen = (patch: Partial<RuleConditions>) => props.onChange({ ...r, when: { ...w, ...patch } });
  const setActions = (patch: Partial<RuleActions>) => props.onChange({ ...r, actions: { ...a, ...patch } });
  const days = useMemo(() => dayNames(locale), [locale]);
  const networks = useMemo(
    () => [...new Set((communities ?? []).flatMap((c) => c.accounts.map((x) => x.network)))].sort(),
    [communities],
  );
  const handles = useMemo(
    () => [...new Set((communities ?? []).flatMap((c) => c.accounts.map((x) => x.handle)))].sort(),
    [communities],
  );
  const moreOpen = Boolean(
    w.channels?.length ||
      w.accounts?.length ||
      w.sensitive?.length ||
      w.regex ||
      w.contact_vip !== undefined ||
      w.repeat_contact !== undefined ||
      w.time,
  );
  const opts = (list: readonly string[], prefix: string) =>
    list.map((v) => ({ value: v, label: labelFor(t, prefix, v) }));

  return (
    <div className="rule-editor" data-testid="rule-editor">
      <Field label={t('rules.name')} wide>
        <input
          type="text"
          value={r.name}
          maxLength={120}
          onChange={(e) => props.onChange({ ...r, name: e.target.value })}
          data-control="rule-name"
        />
      </Field>

      <section className="editor-section" aria-label={t('rules.conditions')}>
        <h4>{t('rules.conditions')}</h4>
        <p className="muted small">{t('rules.conditionsHint')}</p>
        <div className="editor-grid">
          <CheckGroup
            legend={t('rules.communities')}
            options={me.communities.map((c) => ({ value: c.slug, label: c.name }))}
            values={w.communities}
            onChange={(v) => setWhen({ communities: v })}
          />
          <CheckGroup
            legend={t('rules.languages')}
            options={BASE_LANGUAGES.map((l) => ({ value: l, label: `${l.toUpperCase()} · ${fmt.language(l)}` }))}
            values={w.languages}
            onChange={(v) => setWhen({ languages: v })}
          />
          <CheckGroup
            legend={t('label.topics')}
            options={opts(TOPICS, 'topic')}
            values={w.topics}
            onChange={(v) => setWhen({ topics: v })}
            testId="cond-topics"
          />
          <CheckGroup
            legend={t('rules.intents')}
            options={opts(INTENTS, 'intent')}
            values={w.intents}
            onChange={(v) => setWhen({ intents: v })}
          />
          <CheckGroup
            legend={t('rules.sentiments')}
            options={opts(SENTIMENTS, 'sentiment')}
            values={w.sentiments}
            onChange={(v) => setWhen({ sentiments: v })}
          />
          <div className="editor-stack">
            <Field label={t('rules.urgencyAtLeast')}>
              <select
                value={w.urgency_at_least ?? ''}
                onChange={(e) => setWhen({ urgency_at_least: (e.target.value || undefined) as Urgency | undefined })}
                data-control="urgency"
              >
                <option value="">{t('common.any')}</option>
                {URGENCIES.map((u) => (
                  <option key={u} value={u}>
                    {labelFor(t, 'urgency', u)}
                  </option>
                ))}
              </select>
            </Field>
            <TagInput
              label={t('rules.keywords')}
              values={w.keywords ?? []}
              onChange={(v) => setWhen({ keywords: v })}
              hint={t('rules.keywordsHint')}
              testId="cond-keywords"
            />
          </div>
        </div>
        <details className="more-conditions" open={moreOpen}>
          <summary className="more-conditions-summary">{t('rules.moreConditions')}</summary>
          <div className="editor-grid">
            <CheckGroup
              legend={t('rules.channels')}
              options={networks.map((n) => ({ value: n, label: n }))}
              values={w.channels}
              onChange={(v) => setWhen({ channels: v })}
            />
            <CheckGroup
              legend={t('rules.accounts')}
              options={handles.map((h) => ({ value: h, label: h }))}
              values={w.accounts}
              onChange={(v) => setWhen({ accounts: v })}
            />
            <CheckGroup
              legend={t('rules.sensitive')}
              options={SENSITIVE_FLAGS.map((f) => ({ value: f, label: labelFor(t, 'sensitive', f) }))}
              values={w.sensitive}
              onChange={(v) => setWhen({ sensitive: v })}
            />
            <div className="editor-stack">
              <Field label={t('rules.vip')}>
                <select
                  value={triState(w.contact_vip)}
                  onChange={(e) => setWhen({ contact_vip: fromTriState(e.target.value) })}
                >
                  <option value="">{t('common.any')}</option>
                  <option value="yes">{t('rules.vipYes')}</option>
                  <option value="no">{t('rules.vipNo')}</option>
                </select>
              </Field>
              <Field label={t('rules.repeat')}>
                <select
                  value={triState(w.repeat_contact)}
                  onChange={(e) => setWhen({ repeat_contact: fromTriState(e.target.value) })}
                >
                  <option value="">{t('common.any')}</option>
                  <option value="yes">{t('rules.repeatYes')}</option>
                  <option value="no">{t('rules.repeatNo')}</option>
                </select>
              </Field>
              <Field label={t('rules.regex')} hint={t('rules.regexHint')}>
                <input
                  type="text"
                  className="mono"
                  value={w.regex ?? ''}
                  maxLength={200}
                  spellCheck={false}
                  onChange={(e) => setWhen({ regex: e.target.value || undefined })}
                  data-control="regex"
                />
              </Field>
            </div>
            <fieldset className="check-group time-window">
              <legend>{t('rules.time')}</legend>
              <label className="check-option">
                <input
                  type="checkbox"
                  checked={Boolean(w.time)}
                  onChange={(e) => setWhen({ time: e.target.checked ? { from: '18:00', to: '08:00' } : undefined })}
                  data-control="time"
                />
                {t('rules.timeOnly')}
              </label>
              {w.time && (
                <>
                  <span className="time-range">
                    <label className="field-inline">
                      <span>{t('duty.from')}</span>
                      <input
                        type="time"
                        value={w.time.from}
                        onChange={(e) => setWhen({ time: { ...w.time!, from: e.target.value } })}
                      />
                    </label>
                    <label className="field-inline">
                      <span>{t('duty.to')}</span>
                      <input
                        type="time"
                        value={w.time.to}
                        onChange={(e) => setWhen({ time: { ...w.time!, to: e.target.value } })}
                      />
                    </label>
                  </span>
                  <span className="day-boxes">
                    {days.map((d, i) => {
                      const day = i + 1;
                      const list = w.time!.days ?? [];
                      return (
                        <label key={day} className="day-box" title={d.long}>
                          <input
                            type="checkbox"
                            aria-label={d.long}
                            checked={list.includes(day)}
                            onChange={(e) =>
                              setWhen({
                                time: {
                                  ...w.time!,
                                  days: e.target.checked ? [...list, day].sort() : list.filter((x) => x !== day),
                                },
                              })
                            }
                          />
                          <span className="day-box-label" aria-hidden="true">
                            {d.short}
                          </span>
                        </label>
                      );
                    })}
                  </span>
                  <p className="muted small">{t('rules.timeHint')}</p>
                </>
              )}
            </fieldset>
          </div>
        </details>
      </section>

      <section className="editor-section" aria-label={t('rules.actions')}>
        <h4>{t('rules.actions')}</h4>
        <div className="editor-grid">
          <Field label={t('label.team')}>
            <select
              value={a.team ?? ''}
              onChange={(e) => setActions({ team: e.target.value || undefined })}
              data-control="team"
            >
              <option value="">{t('rules.keepTeam')}</option>
              {(teams ?? []).map((x) => (
                <option key={x.slug} value={x.slug}>
                  {x.name}
                </option>
              ))}
              {a.team && !(teams ?? []).some((x) => x.slug === a.team) && <option value={a.team}>{a.team}</option>}
            </select>
          </Field>
          <Field label={t('label.priority')}>
            <select
              value={a.priority ?? ''}
              onChange={(e) => setActions({ priority: (e.target.value || undefined) as RulePriority | undefined })}
              data-control="priority"
            >
              <option value="">{t('rules.keepPriority')}</option>
              <option value="from_urgency">{t('rules.fromUrgency')}</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {labelFor(t, 'priority', p)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('rules.assign')}>
            <select
              value={a.assign ?? ''}
              onChange={(e) => setActions({ assign: (e.target.value || undefined) as AssignStrategy | undefined })}
              data-control="assign"
            >
              <option value="">{t('common.notSet')}</option>
              {ASSIGN.map((s) => (
                <option key={s} value={s}>
                  {t(`rules.assign.${s}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('rules.reassignAfter')} hint={t('rules.reassignAfterHint')}>
            <input
              type="number"
              min={1}
              max={10080}
              step={1}
              value={a.reassign_after_minutes ?? ''}
              onChange={(e) =>
                setActions({ reassign_after_minutes: e.target.value ? Number(e.target.value) : undefined })
              }
            />
          </Field>
          <TagInput label={t('label.tags')} values={a.tags ?? []} onChange={(v) => setActions({ tags: v })} />
          <TagInput
            label={t('rules.skills')}
            values={a.skills ?? []}
            onChange={(v) => setActions({ skills: v })}
            hint={t('rules.skillsHint')}
          />
        </div>
        <label className="check-option">
          <input
            type="checkbox"
            checked={a.auto_acknowledge === true}
            onChange={(e) => setActions({ auto_acknowledge: e.target.checked || undefined })}
          />
          {t('rules.autoAck')}
        </label>
        <label className="check-option">
          <input
            type="checkbox"
            checked={r.continue}
            onChange={(e) => props.onChange({ ...r, continue: e.target.checked })}
            data-control="continue"
          />
          {t('rules.continue')}
        </label>
      </section>
    </div>
  );
}

/** "topic Delay, Cancellation · language FR": the conditions of a rule in one line. */
export function describeConditions(
  t: Translate,
  list: (items: string[]) => string,
  w: RuleConditions,
  communityName: (slug: string) => string,
): string {
  const parts: string[] = [];
  const add = (label: string, values: string[] | undefined) => {
    if (values && values.length > 0) parts.push(t('common.labelled', { label, value: list(values) }));
  };
  add(t('rules.communities'), w.communities?.map(communityName));
  add(t('rules.channels'), w.channels);
  add(t('rules.accounts'), w.accounts);
  add(
    t('rules.languages'),
    w.languages?.map((l) => l.toUpperCase()),
  );
  add(
    t('rules.sentiments'),
    w.sentiments?.map((s) => labelFor(t, 'sentiment', s)),
  );
  add(
    t('rules.intents'),
    w.intents?.map((s) => labelFor(t, 'intent', s)),
  );
  add(
    t('label.topics'),
    w.topics?.map((s) => labelFor(t, 'topic', s)),
  );
  if (w.urgency_at_least)
    parts.push(
      t('common.labelled', { label: t('rules.urgencyAtLeast'), value: labelFor(t, 'urgency', w.urgency_at_least) }),
    );
  add(
    t('rules.sensitive'),
    w.sensitive?.map((s) => labelFor(t, 'sensitive', s)),
  );
  add(
    t('rules.keywords'),
    w.keywords?.map((k) => `“${k}”`),
  );
  if (w.regex) parts.push(t('common.labelled', { label: t('rules.regex'), value: w.regex }));
  if (w.contact_vip !== undefined) parts.push(w.contact_vip ? t('rules.vipYes') : t('rules.vipNo'));
  if (w.repeat_contact !== undefined) parts.push(w.repeat_contact ? t('rules.repeatYes') : t('rules.repeatNo'));
  if (w.time) parts.push(t('rules.timeSummary', { from: w.time.from, to: w.time.to }));
  return parts.length > 0 ? parts.join(' · ') : t('rules.always');
}

export function describeActions(
  t: Translate,
  list: (items: string[]) => string,
  a: RuleActions,
  teamName: (slug: string) => string,
  cont: boolean,
): string {
  const parts: string[] = [];
  if (a.team) parts.push(`→ ${teamName(a.team)}`);
  if (a.priority)
    parts.push(
      t('common.labelled', {
        label: t('label.priority'),
        value: a.priority === 'from_urgency' ? t('rules.fromUrgency') : labelFor(t, 'priority', a.priority),
      }),
    );
  if (a.tags && a.tags.length > 0) parts.push(t('common.labelled', { label: t('label.tags'), value: list(a.tags) }));
  if (a.assign) parts.push(t('common.labelled', { label: t('rules.assign'), value: t(`rules.assign.${a.assign}`) }));
  if (a.skills && a.skills.length > 0)
    parts.push(t('common.labelled', { label: t('rules.skills'), value: list(a.skills) }));
  if (a.reassign_after_minutes) parts.push(t('rules.reassignSummary', { n: a.reassign_after_minutes }));
  if (a.auto_acknowledge) parts.push(t('rules.autoAckShort'));
  if (cont) parts.push(t('rules.continueShort'));
  return parts.length > 0 ? parts.join(' · ') : t('rules.noAction');
}
