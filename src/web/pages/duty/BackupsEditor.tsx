import { useEffect, useId, useState } from 'react';
import { isAbort, request } from '../../api.ts';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { assignablePeople, canWorkCases, useReference } from '../../session.tsx';

interface Backup {
  backup_id: number;
  rank: number;
  name: string;
}

/**
 * A person's backups, in rank order: who takes their open cases when they go off duty (when the community's
 * policy says so). Saving makes each backup a member of the person's communities.
 */
export function BackupsEditor(props: { communityId: number }) {
  const { t } = useI18n();
  const { people } = useReference();
  const ids = useId();
  const members = assignablePeople(people, props.communityId);
  const [personId, setPersonId] = useState<number | null>(null);
  const [backups, setBackups] = useState<number[] | null>(null);
  const [adding, setAdding] = useState('');
  const [status, setStatus] = useState<{ error: boolean; text: string } | null>(null);
  const person = members.find((p) => p.id === personId) ?? members[0];

  useEffect(() => {
    setStatus(null);
    setBackups(null);
    if (!person) return;
    const ac = new AbortController();
    request<{ backups: Backup[] }>('GET', `/api/v1/people/${person.id}/backups`, { signal: ac.signal })
      .then((r) => setBackups(r.backups.map((b) => b.backup_id)))
      .catch((err) => {
        if (!isAbort(err)) setStatus({ error: true, text: errorMessage(t, err) });
      });
    return () => ac.abort();
  }, [person, t]);

  if (!person) return null;
  const nameOf = (id: number) => people?.find((p) => p.id === id)?.name ?? `#${id}`;
  const candidates = (people ?? []).filter(
    (p) => p.id !== person.id && canWorkCases(p.role) && !(backups ?? []).includes(p.id),
  );
  const move = (i: number) => {
    if (!backups || i === 0) return;
    const next = [...backups];
    [next[i - 1], next[i]] = [next[i]!, next[i - 1]!];
    setBackups(next);
  };
  const save = async () => {
    setStatus(null);
    try {
      const r = await request<{ backups: Backup[]; granted: { backup_id: number; community_ids: number[] }[] }>(
        'PUT',
        `/api/v1/people/${person.id}/backups`,
        { body: { backup_ids: backups ?? [] } },
      );
      setBackups(r.backups.map((b) => b.backup_id));
      setStatus({ error: false, text: t('offHours.backupsSaved') });
    } catch (err) {
      setStatus({ error: true, text: errorMessage(t, err) });
    }
  };

  return (
    <fieldset data-testid="backups-editor">
      <legend>{t('offHours.backups')}</legend>
      <p className="small muted">{t('offHours.backupsExplain')}</p>
      <div className="field">
        <label htmlFor={`${ids}-person`}>{t('offHours.backupsOf')}</label>
        <select id={`${ids}-person`} value={person.id} onChange={(e) => setPersonId(Number(e.target.value))}>
          {members.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      {backups && (
        <ol className="coverage-backups">
          {backups.map((id, i) => (
            <li key={id} data-backup={id}>
              {nameOf(id)}{' '}
              <button
                type="button"
                disabled={i === 0}
                onClick={() => move(i)}
                aria-label={t('offHours.backupUp', { name: nameOf(id) })}
              >
                ↑
              </button>{' '}
              <button
                type="button"
                onClick={() => setBackups(backups.filter((b) => b !== id))}
                aria-label={t('offHours.backupRemove', { name: nameOf(id) })}
              >
                ×
              </button>
            </li>
          ))}
        </ol>
      )}
      {backups && backups.length === 0 && <p className="small muted">{t('offHours.noBackup')}</p>}
      <div className="field">
        <label htmlFor={`${ids}-add`}>{t('offHours.addBackup')}</label>
        <select
          id={`${ids}-add`}
          value={adding}
          onChange={(e) => {
            const id = Number(e.target.value);
            if (id && backups) setBackups([...backups, id]);
            setAdding('');
          }}
        >
          <option value="">—</option>
          {candidates.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      {status && (
        <p className={status.error ? 'form-error' : 'small muted'} role={status.error ? 'alert' : 'status'}>
          {status.text}
        </p>
      )}
      <button type="button" onClick={() => void save()} disabled={!backups}>
        {t('offHours.saveBackups')}
      </button>
    </fieldset>
  );
}
