import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { isAbort, request } from '../../api.ts';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { labelFor } from '../../i18n/index.ts';
import { useReference } from '../../session.tsx';
import type { Expertise } from './model.ts';

interface Draft {
  kind: 'person' | 'team';
  personId: string;
  teamId: string;
  title: string;
  topics: string[];
  languages: string;
  availability: string;
}

const EMPTY: Draft = {
  kind: 'person',
  personId: '',
  teamId: '',
  title: '',
  topics: [],
  languages: '',
  availability: '',
};

function draftOf(e: Expertise): Draft {
  return {
    kind: e.team ? 'team' : 'person',
    personId: e.person ? String(e.person.id) : '',
    teamId: e.team ? String(e.team.id) : '',
    title: e.title,
    topics: e.topics,
    languages: e.languages.join(', '),
    availability: e.availability,
  };
}

/**
 * The expertise directory for leaders: who can be asked about what (a person or a team, topics of the
 * organization, languages, availability), with adding, changing and removing entries.
 */
export function ExpertiseEditor() {
  const { t } = useI18n();
  const notify = useToast();
  const { teams } = useReference();
  const [people, setPeople] = useState<{ id: number; name: string }[]>([]);
  const [items, setItems] = useState<Expertise[] | null>(null);
  const [topics, setTopics] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  const load = useCallback(
    (signal?: AbortSignal) =>
      request<{ items: Expertise[]; topics?: string[]; people?: { id: number; name: string }[] }>(
        'GET',
        '/api/v1/expertise',
        { signal },
      ).then(
        (r) => {
          setItems(r.items);
          setTopics(r.topics ?? []);
          setPeople(r.people ?? []);
        },
        (err: unknown) => {
          if (!isAbort(err)) setError(errorMessage(t, err));
        },
      ),
    [t],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load]);

  const open = (target: Expertise | 'new') => {
    setEditing(target === 'new' ? 'new' : target.id);
    setDraft(target === 'new' ? EMPTY : draftOf(target));
    setFormError(null);
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const target = draft.kind === 'person' ? draft.personId : draft.teamId;
    if (!draft.title.trim() || !target) {
      setFormError(t('expertise.required'));
      return;
    }
    const body = {
      person_id: draft.kind === 'person' ? Number(draft.personId) : null,
      team_id: draft.kind === 'team' ? Number(draft.teamId) : null,
      title: draft.title,
      topics: draft.topics,
      languages: draft.languages
        .split(/[\s,]+/)
        .map((l) => l.trim())
        .filter(Boolean),
      availability: draft.availability,
    };
    setBusy(true);
    setFormError(null);
    try {
      if (editing === 'new') await request('POST', '/api/v1/expertise', { body });
      else await request('PATCH', `/api/v1/expertise/${editing}`, { body });
      notify(t('expertise.saved'));
      setEditing(null);
      await load();
    } catch (err) {
      setFormError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (entry: Expertise) => {
    if (!window.confirm(t('expertise.confirmRemove', { title: entry.title }))) return;
    try {
      await request('DELETE', `/api/v1/expertise/${entry.id}`);
      notify(t('expertise.removed'));
      await load();
    } catch (err) {
      notify(errorMessage(t, err), 'error');
    }
  };

  const toggleTopic = (topic: string) =>
    setDraft((d) => ({
      ...d,
      topics: d.topics.includes(topic) ? d.topics.filter((x) => x !== topic) : [...d.topics, topic],
    }));

  return (
    <section aria-labelledby="expertise-title" className="consult-section" data-testid="expertise-editor">
      <h2 id="expertise-title">{t('expertise.title')}</h2>
      <p className="muted small">{t('expertise.hint')}</p>
      {error && (
        <p className="notice" role="alert">
          {error}
        </p>
      )}
      {items === null && !error && <p className="placeholder">{t('common.loading')}</p>}
      {items !== null && items.length === 0 && <p className="muted">{t('expertise.empty')}</p>}
      {items !== null && items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('expertise.entry')}</th>
              <th scope="col">{t('expertise.who')}</th>
              <th scope="col">{t('expertise.topics')}</th>
              <th scope="col">{t('expertise.languages')}</th>
              <th scope="col">{t('expertise.availability')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('expertise.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id} data-expertise-id={e.id}>
                <td>{e.title}</td>
                <td>{e.person?.name ?? e.team?.name ?? ''}</td>
                <td>{e.topics.map((x) => labelFor(t, 'topic', x)).join(', ')}</td>
                <td>{e.languages.join(', ')}</td>
                <td>{e.availability}</td>
                <td>
                  <button type="button" className="btn btn-small" onClick={() => open(e)}>
                    {t('expertise.edit')}
                  </button>{' '}
                  <button type="button" className="btn btn-small" onClick={() => void remove(e)}>
                    {t('expertise.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing === null ? (
        <p>
          <button type="button" className="btn" onClick={() => open('new')}>
            {t('expertise.add')}
          </button>
        </p>
      ) : (
        <form
          className="mini-form expertise-form"
          onSubmit={(e) => void save(e)}
          aria-labelledby="expertise-form-title"
        >
          <h3 id="expertise-form-title">{editing === 'new' ? t('expertise.add') : t('expertise.edit')}</h3>
          <label>
            {t('expertise.entry')}
            <input
              value={draft.title}
              maxLength={200}
              onChange={(e) => setDraft({ ...draft, title: e.target.value })}
              required
            />
          </label>
          <fieldset>
            <legend>{t('expertise.who')}</legend>
            <label>
              <input
                type="radio"
                name="expertise-kind"
                checked={draft.kind === 'person'}
                onChange={() => setDraft({ ...draft, kind: 'person' })}
              />{' '}
              {t('expertise.person')}
            </label>{' '}
            <label>
              <input
                type="radio"
                name="expertise-kind"
                checked={draft.kind === 'team'}
                onChange={() => setDraft({ ...draft, kind: 'team' })}
              />{' '}
              {t('expertise.team')}
            </label>
            {draft.kind === 'person' ? (
              <select
                aria-label={t('expertise.person')}
                value={draft.personId}
                onChange={(e) => setDraft({ ...draft, personId: e.target.value })}
              >
                <option value="">{t('consults.chooseExpert')}</option>
                {people.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            ) : (
              <select
                aria-label={t('expertise.team')}
                value={draft.teamId}
                onChange={(e) => setDraft({ ...draft, teamId: e.target.value })}
              >
                <option value="">{t('consults.chooseExpert')}</option>
                {(teams ?? []).map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
              </select>
            )}
          </fieldset>
          {topics.length > 0 && (
            <fieldset>
              <legend>{t('expertise.topics')}</legend>
              {topics.map((topic) => (
                <label key={topic} className="checkbox-inline">
                  <input type="checkbox" checked={draft.topics.includes(topic)} onChange={() => toggleTopic(topic)} />{' '}
                  {labelFor(t, 'topic', topic)}
                </label>
              ))}
            </fieldset>
          )}
          <label>
            {t('expertise.languages')}
            <input
              value={draft.languages}
              placeholder="fr, de"
              onChange={(e) => setDraft({ ...draft, languages: e.target.value })}
            />
            <span className="muted small">{t('expertise.languagesHint')}</span>
          </label>
          <label>
            {t('expertise.availability')}
            <input
              value={draft.availability}
              maxLength={500}
              placeholder={t('expertise.availabilityHint')}
              onChange={(e) => setDraft({ ...draft, availability: e.target.value })}
            />
          </label>
          {formError && (
            <p className="form-error" role="alert">
              {formError}
            </p>
          )}
          <span className="mini-form-buttons">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t('expertise.save')}
            </button>
            <button type="button" className="btn" onClick={() => setEditing(null)}>
              {t('common.cancel')}
            </button>
          </span>
        </form>
      )}
    </section>
  );
}
