/**
 * Language identification. The detector returns an ISO 639-1 code (or `und`) and a confidence.
 */
export interface LanguageDetector {
  readonly name: string;
  /** Detects the language of `text`; the confidence of the last call is in `confidence`. */
  detect(text: string): string;
  confidence: number;
  /** Runner-up language of the last call (for explanations). */
  runnerUp: string;
}

/** Wraps the `eld` package (loads its n-gram database into the JS heap: fast, but ~190 MB RSS). */
export async function loadEldDetector(
  size: 'extrasmall' | 'small' | 'medium' | 'large' = 'medium',
): Promise<LanguageDetector> {
  const { eld } = await import('eld');
  const inst = eld.newInstance() as typeof eld & { load(name: string): Promise<boolean> };
  await inst.load(size);
  const det: LanguageDetector = {
    name: `eld-${size}`,
    confidence: 0,
    runnerUp: '',
    detect(text: string): string {
      const r = inst.detect(text);
      if (!r.language) {
        det.confidence = 0;
        det.runnerUp = '';
        return 'und';
      }
      const scores = r.getScores();
      const keys = Object.keys(scores);
      const top = scores[keys[0] ?? ''] ?? 0;
      const second = scores[keys[1] ?? ''] ?? 0;
      det.runnerUp = keys[1] ?? '';
      det.confidence = Math.max(0, Math.min(1, 0.5 + (top - second) * 2));
      return r.language;
    },
  };
  return det;
}
