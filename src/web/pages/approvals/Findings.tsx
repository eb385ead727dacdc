import { type Dispatch, type SetStateAction, useEffect, useState } from 'react';
import { api, isAbort } from '../../api.ts';
import { useI18n } from '../../i18n/context.tsx';
import type { Finding, ReplyCheck } from './model.ts';

/** The guideline findings and approval need of a draft, refreshed as one types (debounced). */
export function useReplyCheck(
  caseId: number,
  text: string,
  visibility: 'public' | 'private',
): [ReplyCheck | null, Dispatch<SetStateAction<ReplyCheck | null>>] {
  const [result, setResult] = useState<ReplyCheck | null>(null);
  useEffect(() => {
    if (!text.trim()) {
      setResult(null);
      return;
    }
    const ac = new AbortController();
    const timer = setTimeout(() => {
      api.checkReply(caseId, { text, visibility }, ac.signal).then(setResult, (err: unknown) => {
        if (!isAbort(err)) setResult(null);
      });
    }, 400);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [caseId, text, visibility]);
  return [text.trim() ? result : null, setResult];
}

export function FindingList(props: { findings: readonly Finding[] }) {
  const { t } = useI18n();
  if (props.findings.length === 0) return null;
  return (
    <ul className="findings" data-testid="guideline-findings">
      {props.findings.map((f) => (
        <li key={f.guideline} className={`finding finding-${f.severity}`} data-guideline={f.guideline}>
          <span className={`chip ${f.severity === 'block' ? 'chip-danger' : 'chip-warn'}`}>
            {f.severity === 'block' ? t('governance.block') : t('governance.warn')}
          </span>{' '}
          <span>{f.message}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * What the guidelines say about a draft and whether it will wait for approval; a warning can be acknowledged
 * (then the reply can be sent), a block cannot.
 */
export function GuidelineFindings(props: {
  check: ReplyCheck;
  acknowledged: boolean;
  onAcknowledge(value: boolean): void;
}) {
  const { t, tn } = useI18n();
  const { findings, approval } = props.check;
  const blocks = findings.some((f) => f.severity === 'block');
  const warnings = findings.some((f) => f.severity === 'warn');
  if (findings.length === 0 && approval.required === 0) return null;
  return (
    <section className="guideline-check" aria-label={t('governance.checkTitle')} aria-live="polite">
      {approval.required > 0 && (
        <p className="notice small" data-testid="approval-needed">
          {tn('governance.needsApproval', approval.required)}
          {approval.rule ? ` (${approval.rule.name})` : ''}
        </p>
      )}
      <FindingList findings={findings} />
      {warnings && !blocks && (
        <label className="inline-check small">
          <input
            type="checkbox"
            checked={props.acknowledged}
            onChange={(e) => props.onAcknowledge(e.target.checked)}
            data-control="acknowledge-warnings"
          />
          {t('governance.acknowledge')}
        </label>
      )}
    </section>
  );
}
