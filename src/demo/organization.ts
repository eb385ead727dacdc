import { VOLCANIC_ASH_PLAYBOOK } from '../domain/crisis/playbook.ts';
import type { OrganizationDefinition } from '../domain/organization/definition.ts';
import { DEMO_CANNED_REPLIES } from './corpus.ts';
import { AIRSOCIAL_COVERAGE } from './coverage.ts';
import { AIRSOCIAL_GOVERNANCE } from './governance.ts';
import { AIRSOCIAL_PUBLISHING } from './publishing.ts';
import { AIRSOCIAL_ROUTING } from './routing-policy.ts';

/** The password of every demo login; printed at start. Demo data only: real deployments create their own people. */
export const DEMO_PASSWORD = 'passeur-demo';

const WEEKDAYS = [1, 2, 3, 4, 5];
const WEEKEND = [6, 7];
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

const AIRSOCIAL_TOPICS = [
  'delay',
  'cancellation',
  'baggage',
  'booking',
  'refund',
  'checkin',
  'onboard',
  'loyalty',
  'customer_service',
  'airport',
  'other',
];

/**
 * AirSocial: an airline group with two brands, each with fr/de/it communities and an English-speaking
 * international desk that takes every other language.
 */
export const AIRSOCIAL: OrganizationDefinition = {
  slug: 'airsocial',
  name: 'AirSocial Group',
  settings: { topics: AIRSOCIAL_TOPICS },
  routing: AIRSOCIAL_ROUTING,
  cannedReplies: DEMO_CANNED_REPLIES,
  crisisPlaybooks: [VOLCANIC_ASH_PLAYBOOK],
  governance: AIRSOCIAL_GOVERNANCE,
  coverage: AIRSOCIAL_COVERAGE,
  publishing: AIRSOCIAL_PUBLISHING,
  expertise: [
    {
      title: 'Ground handling – accessibility',
      person: 'marc@airsocial.example',
      topics: ['airport', 'accessibility', 'ground_handling'],
      languages: ['fr', 'de'],
      availability: 'Weekdays 08:00–17:00, answers within 2 h',
    },
    {
      title: 'Refunds and compensation (EU 261)',
      person: 'hanna@airsocial.example',
      topics: ['refund', 'cancellation', 'delay'],
      languages: ['de', 'it', 'en'],
      availability: 'Weekdays 09:00–18:00',
    },
    {
      title: 'Quality – baggage and recurring problems',
      team: 'quality',
      topics: ['baggage', 'checkin', 'onboard'],
      languages: ['de', 'fr', 'en'],
      availability: 'Team inbox, same working day',
    },
  ],
  teams: [
    { slug: 'customer_care', name: 'Customer care', mission: 'Answer every customer, in their language, in time.' },
    { slug: 'marketing', name: 'Marketing', mission: 'Animate the communities and publish the brands’ content.' },
    { slug: 'innovation', name: 'Innovation', mission: 'Turn customers’ ideas into a better service.' },
    { slug: 'quality', name: 'Quality', mission: 'Fix recurring problems at their source.' },
    { slug: 'crisis_cell', name: 'Crisis cell', mission: 'Coordinate the response when something big happens.' },
  ],
  brands: [
    {
      slug: 'airsocial',
      name: 'AirSocial',
      keywords: ['airsocial'],
      fallbackLanguage: 'en',
      communities: [
        { language: 'fr', locale: 'fr-CH', handle: '@AirSocial' },
        { language: 'de', locale: 'de-CH', handle: '@AirSocial_de' },
        { language: 'it', locale: 'it-CH', handle: '@AirSocial_it' },
        { language: 'en', locale: 'en-GB', handle: '@AirSocial_en' },
      ],
    },
    {
      slug: 'express',
      name: 'AirSocial Express',
      keywords: ['airsocial express', 'airsocialexpress'],
      fallbackLanguage: 'en',
      communities: [
        { language: 'fr', locale: 'fr-CH', handle: '@AirSocialExpress_fr' },
        { language: 'de', locale: 'de-CH', handle: '@AirSocialExpress_de' },
        { language: 'it', locale: 'it-CH', handle: '@AirSocialExpress_it' },
        { language: 'en', locale: 'en-GB', handle: '@AirSocialExpress' },
      ],
    },
  ],
  people: [
    {
      email: 'marie@airsocial.example',
      name: 'Marie Lefèvre',
      role: 'leader',
      languages: ['fr', 'en', 'de'],
      teams: ['customer_care', 'crisis_cell'],
      leads: ['customer_care', 'crisis_cell'],
      communities: '*',
      autonomy: 'senior',
      locale: 'fr',
    },
    {
      email: 'lea@airsocial.example',
      name: 'Léa Martin',
      role: 'manager',
      languages: ['fr', 'en'],
      teams: ['customer_care'],
      communities: ['airsocial-fr', 'express-fr'],
      locale: 'fr',
      schedule: [{ days: WEEKDAYS, from: '07:00', to: '15:00' }],
    },
    {
      email: 'jonas@airsocial.example',
      name: 'Jonas Weber',
      role: 'manager',
      languages: ['de', 'en'],
      teams: ['customer_care'],
      communities: ['airsocial-de', 'express-de'],
      locale: 'de',
      schedule: [{ days: WEEKDAYS, from: '07:00', to: '15:00' }],
    },
    {
      email: 'tom@airsocial.example',
      name: 'Tom Becker',
      role: 'manager',
      languages: ['de'],
      teams: ['customer_care'],
      communities: ['airsocial-de'],
      autonomy: 'trainee',
      locale: 'de',
      schedule: [{ days: WEEKDAYS, from: '12:00', to: '20:00' }],
    },
    {
      email: 'giulia@airsocial.example',
      name: 'Giulia Rossi',
      role: 'manager',
      languages: ['it', 'en'],
      teams: ['customer_care'],
      communities: ['airsocial-it', 'express-it'],
      locale: 'it',
      schedule: [{ days: WEEKDAYS, from: '08:00', to: '16:00' }],
    },
    {
      email: 'emma@airsocial.example',
      name: 'Emma Wilson',
      role: 'manager',
      languages: ['en', 'es'],
      teams: ['customer_care'],
      communities: ['airsocial-en', 'express-en'],
      locale: 'en',
      schedule: [{ days: EVERY_DAY, from: '08:00', to: '20:00' }],
    },
    {
      email: 'luca@airsocial.example',
      name: 'Luca Bianchi',
      role: 'backup',
      languages: ['it', 'en', 'fr'],
      teams: ['customer_care'],
      communities: ['airsocial-it', 'express-it', 'airsocial-en'],
      locale: 'it',
      schedule: [
        { days: WEEKDAYS, from: '16:00', to: '22:00' },
        { days: WEEKEND, from: '08:00', to: '18:00' },
      ],
    },
    {
      email: 'sophie@airsocial.example',
      name: 'Sophie Laurent',
      role: 'backup',
      languages: ['fr', 'en'],
      teams: ['marketing'],
      communities: ['airsocial-fr'],
      autonomy: 'trainee',
      locale: 'fr',
      schedule: [{ days: WEEKDAYS, from: '15:00', to: '21:00' }],
    },
    {
      email: 'anna@airsocial.example',
      name: 'Anna Schmidt',
      role: 'approver',
      languages: ['de', 'fr', 'en'],
      teams: ['quality'],
      leads: ['quality'],
      communities: ['airsocial-de', 'express-de', 'airsocial-fr'],
      autonomy: 'senior',
      locale: 'de',
    },
    {
      email: 'marc@airsocial.example',
      name: 'Marc Girard',
      role: 'expert',
      languages: ['fr', 'de'],
      skills: ['accessibility', 'ground_handling'],
      teams: [],
      communities: [],
      locale: 'fr',
    },
    {
      email: 'hanna@airsocial.example',
      name: 'Hanna Keller',
      role: 'expert',
      languages: ['de', 'it', 'en'],
      skills: ['refunds', 'compensation'],
      teams: ['innovation'],
      communities: [],
      locale: 'de',
    },
    {
      email: 'paul@airsocial.example',
      name: 'Paul Moreau',
      role: 'viewer',
      languages: ['fr', 'en'],
      teams: [],
      communities: '*',
      locale: 'fr',
    },
  ],
};
