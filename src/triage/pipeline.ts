/**
 * The triage pipeline: language → lexicon evidence and hashed features → linear heads (sentiment,
 * intent, topics) blended with lexicon rules → urgency, sensitive flags, team → PII, explanations.
 */
import { type Analysis, Analyzer, DEFAULT_FEATURES, type FeatureConfig } from './features.ts';
import type { LanguageDetector } from './lang.ts';
import { type CompiledLexicon, compileLexicon } from './lexicon/compile.ts';
import { CUE_TABLES, topicTable } from './lexicon/index.ts';
import { type LinearHead, type LoadedModel, mixFeatures, sigmoid, softmaxInPlace } from './model.ts';
import { detectPii } from './pii.ts';
import { intentPrior, MAIN_TOPIC_THRESHOLD, sentimentPrior, topicPrior } from './priors.ts';
import type { Taxonomy, TeamRule } from './taxonomy.ts';
import { FNV_OFFSET, fmix, fnvStep, SALT_META, SALT_WORD, TOK_EMOJI } from './text.ts';
import {
  type Explanation,
  INTENTS,
  type Intent,
  SENTIMENTS,
  type Sentiment,
  type TopicScore,
  type TriageInput,
  type TriageResult,
  type Triager,
  URGENCIES,
  type Urgency,
} from './types.ts';

export const SENSITIVE_FLAGS = [
  'safety',
  'legal',
  'press',
  'discrimination',
  'death_injury',
  'data_privacy',
  'vip',
  'crisis',
  'medical',
] as const;

export interface PipelineParts {
  taxonomy: Taxonomy;
  detector: LanguageDetector;
  model?: LoadedModel;
  modelId: string;
  /** Probability above which a topic is listed. */
  topicThreshold?: number;
  /** Probability above which the best topic is still given as main topic when no topic reaches the threshold. */
  mainTopicThreshold?: number;
}

interface CatIds {
  qword: number;
  request: number;
  suggest: number;
  praise: number;
  complain: number;
  risk: Record<string, number>;
  topics: number[];
}

const NO_FEATURES: string[] = [];

export class TriagePipeline implements Triager {
  readonly model: string;
  readonly taxonomy: Taxonomy;
  readonly analyzer: Analyzer;
  readonly lex: CompiledLexicon;
  private readonly detector: LanguageDetector;
  private readonly a: Analysis;
  private readonly mixed = new Uint32Array(8192);
  readonly sentHead: LinearHead;
  readonly intentHead: LinearHead;
  readonly topicHead: LinearHead;
  /** Learned team head (organization models with team corrections). */
  readonly teamHead: LinearHead | undefined;
  /** The rule-based team of the last message (before a learned team head). */
  lastRuleTeam = '';
  private readonly teamBuf = new Float64Array(32);
  /** Column of each taxonomy topic in the topic head (-1 = not learned: lexicon only). */
  private readonly topicCol: Int32Array;
  private readonly ids: CatIds;
  private readonly topicThreshold: number;
  private readonly mainThreshold: number;
  private readonly sBuf = new Float64Array(8);
  private readonly iBuf = new Float64Array(8);
  private readonly tBuf = new Float64Array(64);

  constructor(parts: PipelineParts) {
    this.model = parts.modelId;
    this.taxonomy = parts.taxonomy;
    this.detector = parts.detector;
    this.topicThreshold = parts.topicThreshold ?? 0.5;
    this.mainThreshold = parts.mainTopicThreshold ?? MAIN_TOPIC_THRESHOLD;
    this.lex = compileLexicon([...CUE_TABLES, { prefix: 't:', table: topicTable(parts.taxonomy) }]);
    const features: FeatureConfig = parts.model?.manifest.features ?? DEFAULT_FEATURES;
    this.analyzer = new Analyzer(this.lex, features);
    this.a = this.analyzer.newAnalysis();
    const heads = parts.model?.heads;
    this.sentHead = heads?.get('sentiment') ?? sentimentPrior(this.analyzer);
    this.intentHead = heads?.get('intent') ?? intentPrior(this.analyzer);
    // a trained topic head is used when it knows every topic of the taxonomy; otherwise the keywords
    const trained = heads?.get('topics');
    const known = trained && parts.taxonomy.topics.every((t) => trained.labels.includes(t.id));
    this.topicHead = known ? trained : topicPrior(this.analyzer, parts.taxonomy);
    this.topicCol = Int32Array.from(parts.taxonomy.topics, (t) => this.topicHead.labels.indexOf(t.id));
    this.teamHead = heads?.get('team');
    const c = (name: string) => this.lex.catIndex.get(name) ?? -1;
    const risk: Record<string, number> = {};
    for (const name of this.lex.categories) if (name.startsWith('r:')) risk[name.slice(2)] = c(name);
    this.ids = {
      qword: c('i:q:word'),
      request: c('i:request'),
      suggest: c('i:suggest'),
      praise: c('i:praise'),
      complain: c('i:complain'),
      risk,
      topics: parts.taxonomy.topics.map((t) => c(`t:${t.id}`)),
    };
  }

  triage(inputs: readonly TriageInput[]): TriageResult[] {
    const out: TriageResult[] = new Array(inputs.length);
    for (let i = 0; i < inputs.length; i++) out[i] = this.one(inputs[i]!);
    return out;
  }

  /** Triage of one message. */
  one(input: TriageInput): TriageResult {
    const text = typeof input.text === 'string' ? input.text : '';
    const a = this.a;
    this.analyzer.tokenize(text, a);
    // language
    let lang: string;
    let langConf: number;
    let langFeatures: string[];
    if (input.lang) {
      // 'FR', 'fr-FR', 'fr_CA' → 'fr'
      lang = input.lang.toLowerCase().split(/[-_]/)[0] || input.lang.toLowerCase();
      langConf = 1;
      langFeatures = ['given'];
    } else {
      lang = this.detector.detect(a.tokens.cleaned ?? text);
      langConf = this.detector.confidence;
      langFeatures = this.detector.runnerUp ? [`runner-up:${this.detector.runnerUp}`] : NO_FEATURES;
    }
    this.analyzer.analyze(a, lang);
    const n = a.nFeats;
    mixFeatures(a.feats, n, this.mixed);

    const sentiment = this.sentiment(a, n);
    const intent = this.intent(a, n);
    const topics = this.topics(a, n, intent.label, sentiment.label);
    const sens = this.sensitive(a);
    const urgency = this.urgency(a, sentiment.score, intent.label, sens.flags);
    const team = this.team(sens.flags, intent.label, topics, sentiment.label, urgency.label);
    this.lastRuleTeam = team.team;
    if (this.teamHead) this.learnedTeam(n, team);
    const pii = detectPii(text);
    return {
      lang,
      sentiment: sentiment.label,
      sentimentScore: sentiment.score,
      intent: intent.label,
      topics: topics.map((t) => t.topic),
      urgency: urgency.label,
      team: team.team,
      sensitive: sens.flags,
      pii,
      explain: {
        lang: { confidence: round(langConf), features: langFeatures },
        sentiment: sentiment.explain,
        intent: intent.explain,
        topics,
        urgency: urgency.explain,
        team: team.explain,
        sensitive: sens.why,
      },
      model: this.model,
    };
  }

  // ---------------------------------------------------------------- sentiment
  private sentiment(a: Analysis, n: number): { label: Sentiment; score: number; explain: Explanation } {
    const p = this.sBuf;
    this.sentHead.logits(this.mixed, a.vals, n, p);
    const temp = this.sentHead.temperature;
    if (temp !== 1) for (let k = 0; k < 3; k++) p[k]! /= temp;
    softmaxInPlace(p, 3);
    let best = 1;
    if (p[0]! > p[best]!) best = 0;
    if (p[2]! > p[best]!) best = 2;
    const label = SENTIMENTS[best]!;
    const score = clamp(p[2]! - p[0]!, -1, 1);
    const sign = best === 0 ? -1 : best === 2 ? 1 : 0;
    return {
      label,
      score: round(score),
      explain: { confidence: round(p[best]!), features: this.sentFeatures(a, sign) },
    };
  }

  private sentFeatures(a: Analysis, sign: number): string[] {
    const hits = a.hits;
    const t = a.tokens;
    const cand: { w: number; s: string }[] = [];
    for (let k = 0; k < hits.n; k++) {
      const pol = a.hitPolarity[k]!;
      if (pol === 0) continue;
      if (sign !== 0 && Math.sign(pol) !== sign) continue;
      const s = t.text.slice(t.start[hits.first[k]!]!, t.end[hits.last[k]!]!);
      cand.push({ w: Math.abs(pol), s: a.hitNegated[k] ? `not ${s}` : s });
    }
    for (let i = 0; i < t.n; i++) {
      if (t.flags[i]! & TOK_EMOJI && cand.length < 16) cand.push({ w: 0.5, s: t.surface(i) });
    }
    if (sign !== 0 && cand.length === 0) this.topWords(a, this.sentHead, sign < 0 ? 0 : 2, cand);
    return uniqTop(cand, 4);
  }

  /** Words whose unigram weight pushes most toward label k of a head. */
  private topWords(a: Analysis, head: LinearHead, k: number, cand: { w: number; s: string }[]): void {
    const t = a.tokens;
    // unigram features are the first word features; recompute their mixed hash from the token hash
    for (let i = 0; i < t.n && i < 64; i++) {
      if (t.flags[i]! & TOK_EMOJI) continue;
      const w = head.weight(wordMixed(t.hash[i]!), k);
      if (w > 0.15) cand.push({ w, s: t.surface(i) });
    }
  }

  // ---------------------------------------------------------------- intent
  private intent(a: Analysis, n: number): { label: Intent; explain: Explanation } {
    const ids = this.ids;
    const q = a.tokens.questionMarks > 0;
    const p = this.iBuf;
    this.intentHead.logits(this.mixed, a.vals, n, p);
    softmaxInPlace(p, 6);
    let best = 0;
    for (let k = 1; k < 6; k++) if (p[k]! > p[best]!) best = k;
    const label = INTENTS[best]!;
    const cat = [ids.qword, ids.complain, ids.request, ids.suggest, ids.praise, -1][best]!;
    const features = this.catSurfaces(a, cat, 4);
    if (features.length === 0 && best !== 5) {
      const cand: { w: number; s: string }[] = [];
      this.topWords(a, this.intentHead, best, cand);
      features.push(...uniqTop(cand, 3));
    }
    if (best === 0 && q) features.unshift('?');
    return { label, explain: { confidence: round(p[best]!), features } };
  }

  // ---------------------------------------------------------------- topics
  private topics(a: Analysis, n: number, intent: Intent, sentiment: Sentiment): TopicScore[] {
    const tax = this.taxonomy;
    const ids = this.ids.topics;
    const logits = this.tBuf;
    this.topicHead.logits(this.mixed, a.vals, n, logits);
    const out: TopicScore[] = [];
    let best = -1;
    let bestConf = 0;
    for (let i = 0; i < tax.topics.length; i++) {
      const topic = tax.topics[i]!;
      const col = this.topicCol[i]!;
      if (topic.id === tax.catchAllTopic || col < 0) continue;
      const conf = sigmoid(logits[col]!);
      if (conf >= this.topicThreshold) {
        out.push({ topic: topic.id, confidence: round(conf), features: this.topicFeatures(a, ids[i]!, col) });
      } else if (conf > bestConf) {
        best = i;
        bestConf = conf;
      }
    }
    // the main topic may be weaker than the listing threshold when nothing else is said; a head adapted
    // to an organization's corrections knows its topic frequencies, so its best guess stands
    const floor = this.topicHead.adapted ? 0 : this.mainThreshold;
    if (out.length === 0 && best >= 0 && bestConf >= floor && (floor > 0 || this.wantsTopic(intent, sentiment))) {
      out.push({
        topic: tax.topics[best]!.id,
        confidence: round(bestConf),
        features: this.topicFeatures(a, ids[best]!, this.topicCol[best]!),
      });
    }
    out.sort((x, y) => y.confidence - x.confidence);
    if (out.length > 4) out.length = 4;
    if (out.length === 0) {
      const fb = tax.complaintFallbackTopic;
      if (fb && this.wantsTopic(intent, sentiment)) {
        out.push({ topic: fb, confidence: 0.4, features: ['no specific topic: complaint'] });
      } else if (tax.catchAllTopic && (intent === 'question' || intent === 'suggestion' || intent === 'request')) {
        out.push({ topic: tax.catchAllTopic, confidence: 0.3, features: ['no specific topic'] });
      }
    }
    return out;
  }

  /** Keywords of a topic, or the words a learned head weighs most for it. */
  private topicFeatures(a: Analysis, cat: number, col: number): string[] {
    const kw = this.catSurfaces(a, cat, 3);
    if (kw.length > 0 || col < 0) return kw;
    const cand: { w: number; s: string }[] = [];
    this.topWords(a, this.topicHead, col, cand);
    return uniqTop(cand, 3);
  }

  /** Whether a message without topic keywords still gets a topic (complaints, requests, questions). */
  private wantsTopic(intent: Intent, sentiment: Sentiment): boolean {
    if (sentiment === 'positive') return false;
    return intent === 'complaint' || intent === 'request' || intent === 'question' || sentiment === 'negative';
  }

  // ---------------------------------------------------------------- sensitive, urgency, team
  private sensitive(a: Analysis): { flags: string[]; why: Record<string, string[]> } {
    const flags: string[] = [];
    const why: Record<string, string[]> = {};
    const risk = this.ids.risk;
    for (const flag of SENSITIVE_FLAGS) {
      const c = risk[flag];
      if (c !== undefined && a.has(c)) {
        flags.push(flag);
        why[flag] = this.catSurfaces(a, c, 3);
      }
    }
    const emergency = risk.emergency;
    if (emergency !== undefined && a.has(emergency) && !flags.includes('safety')) {
      flags.unshift('safety');
      why.safety = this.catSurfaces(a, emergency, 3);
    }
    // passengers held without water/food/air for long: a safety matter even without safety words
    const stranded = risk.stranded;
    const deprived = risk.no_water;
    if (
      !flags.includes('safety') &&
      stranded !== undefined &&
      deprived !== undefined &&
      a.has(stranded) &&
      a.has(deprived)
    ) {
      flags.unshift('safety');
      why.safety = [...this.catSurfaces(a, stranded, 2), ...this.catSurfaces(a, deprived, 2)];
    }
    return { flags, why };
  }

  private urgency(
    a: Analysis,
    score: number,
    intent: Intent,
    flags: string[],
  ): { label: Urgency; explain: Explanation } {
    const risk = this.ids.risk;
    const has = (name: string) => {
      const c = risk[name];
      return c !== undefined && a.has(c);
    };
    const reasons: string[] = [];
    let level = 1; // normal
    const raise = (to: number, why: string) => {
      if (to > level) level = to;
      reasons.push(why);
    };
    const stranded = has('stranded');
    const deprived = has('no_water');
    const emergency = has('emergency');
    const safety = flags.includes('safety');
    const injury = flags.includes('death_injury');
    const medical = flags.includes('medical');
    const crisis = flags.includes('crisis');
    // critical: an acute emergency, or people held somewhere without water, food or air
    if (emergency) raise(3, 'emergency');
    if (stranded && deprived) raise(3, 'passengers stranded without basic needs');
    if (safety && (crisis || injury || medical || stranded)) raise(3, 'safety incident');
    if (medical && (stranded || deprived)) raise(3, 'medical need while stranded');
    // high
    if (safety) raise(2, 'safety');
    if (injury) raise(2, 'death or injury');
    if (medical) raise(2, 'medical need');
    if (crisis) raise(2, 'crisis signal');
    if (stranded && (has('duration') || score < -0.3)) raise(2, 'stranded passengers');
    if (deprived && score < 0) raise(2, 'no water, food or information');
    if (has('missed_connection') && score < 0.2) raise(2, 'missed connection');
    if (flags.includes('legal')) raise(2, 'legal threat');
    if (flags.includes('press')) raise(2, 'journalist or press');
    if (flags.includes('discrimination')) raise(2, 'discrimination');
    if (flags.includes('data_privacy')) raise(2, 'personal data');
    if (flags.includes('vip') && score < 0) raise(2, 'VIP customer');
    const t = a.tokens;
    const angry = has('anger') || (score < -0.75 && (t.capsWords >= 2 || t.exclamations >= 2));
    if (angry && score < -0.3) raise(2, 'very angry');
    if (level === 1 && reasons.length === 0) {
      if ((intent === 'praise' || intent === 'other') && score >= -0.1) {
        level = 0;
        reasons.push(intent === 'praise' ? 'praise' : 'no request');
      }
    }
    const conf = level === 3 ? 0.9 : level === 2 ? 0.8 : 0.6;
    return { label: URGENCIES[level]!, explain: { confidence: conf, features: uniq(reasons).slice(0, 4) } };
  }

  private team(
    flags: string[],
    intent: Intent,
    topics: TopicScore[],
    sentiment: Sentiment,
    urgency: Urgency,
  ): { team: string; explain: Explanation } {
    const tax = this.taxonomy;
    const main = topics[0]?.topic;
    const a = this.a;
    for (const rule of tax.teamRules) {
      if (this.ruleMatches(rule, a, flags, intent, main, sentiment, urgency)) {
        return { team: rule.team, explain: { confidence: 0.8, features: [rule.reason] } };
      }
    }
    if (main) {
      const topic = tax.topics.find((t) => t.id === main);
      if (topic?.team) return { team: topic.team, explain: { confidence: 0.7, features: [`topic ${main}`] } };
    }
    return { team: tax.defaultTeam, explain: { confidence: 0.6, features: ['default team'] } };
  }

  /** An organization's learned team head, fed with the features and the rule's suggestion. */
  private learnedTeam(n: number, team: { team: string; explain: Explanation }): void {
    const head = this.teamHead!;
    const p = this.teamBuf;
    head.logits(this.mixed, this.a.vals, n, p);
    const row = (fmix(teamFeature(team.team)) & head.mask) * head.K;
    for (let k = 0; k < head.K; k++) p[k]! += head.W[row + k]!;
    softmaxInPlace(p, head.K);
    let best = 0;
    for (let k = 1; k < head.K; k++) if (p[k]! > p[best]!) best = k;
    const learned = head.labels[best]!;
    if (learned !== team.team) {
      team.explain = { confidence: round(p[best]!), features: ['learned from corrections', `rules: ${team.team}`] };
      team.team = learned;
    } else {
      team.explain = {
        confidence: round(Math.max(p[best]!, team.explain.confidence)),
        features: team.explain.features,
      };
    }
  }

  private ruleMatches(
    rule: TeamRule,
    a: Analysis,
    flags: string[],
    intent: Intent,
    main: string | undefined,
    sentiment: Sentiment,
    urgency: Urgency,
  ): boolean {
    if (rule.sensitive && !rule.sensitive.some((f) => flags.includes(f))) return false;
    if (rule.intents && !rule.intents.includes(intent)) return false;
    if (rule.topics && (main === undefined || !rule.topics.includes(main))) return false;
    if (rule.sentiments && !rule.sentiments.includes(sentiment)) return false;
    if (rule.urgencies && !rule.urgencies.includes(urgency)) return false;
    if (rule.cues) {
      for (const cue of rule.cues) {
        const c = this.ids.risk[cue] ?? this.lex.catIndex.get(cue);
        if (c === undefined || !a.has(c)) return false;
      }
    }
    return true;
  }

  /** Surfaces (original spelling) of the hits of category `cat`. */
  private catSurfaces(a: Analysis, cat: number, max: number): string[] {
    if (cat < 0) return [];
    const out: string[] = [];
    const hits = a.hits;
    const t = a.tokens;
    for (let k = 0; k < hits.n && out.length < max; k++) {
      if (hits.cat[k] !== cat) continue;
      const s = t.text.slice(t.start[hits.first[k]!]!, t.end[hits.last[k]!]!);
      if (!out.includes(s)) out.push(s);
    }
    return out;
  }
}

/** The feature that carries the rule-based team into a learned team head. */
export function teamFeature(team: string): number {
  let h = FNV_OFFSET ^ SALT_META;
  const s = `team:${team}`;
  for (let i = 0; i < s.length; i++) h = fnvStep(h, s.charCodeAt(i));
  return h >>> 0;
}

function wordMixed(h: number): number {
  return fmix((h ^ SALT_WORD) >>> 0);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}

function uniqTop(cand: { w: number; s: string }[], max: number): string[] {
  cand.sort((x, y) => y.w - x.w);
  const out: string[] = [];
  for (const c of cand) {
    if (!out.includes(c.s)) out.push(c.s);
    if (out.length >= max) break;
  }
  return out;
}

export type { FeatureConfig };
