import type { Rule } from '../domain/routing/policy.ts';

/** AirSocial's routing rules, as a leader would write them in the admin page. */
export const AIRSOCIAL_ROUTING: Rule[] = [
  {
    id: 'safety',
    name: 'Safety and crisis → Crisis cell',
    enabled: true,
    when: { sensitive: ['safety', 'crisis', 'death_injury'] },
    actions: { team: 'crisis_cell', priority: 'urgent', tags: ['safety'], assign: 'least_loaded' },
    continue: false,
  },
  {
    id: 'press',
    name: 'Journalists → Crisis cell',
    enabled: true,
    when: { sensitive: ['press'] },
    actions: { team: 'crisis_cell', priority: 'high', tags: ['press'], assign: 'none' },
    continue: false,
  },
  {
    id: 'vip',
    name: 'VIP customers first',
    enabled: true,
    when: { contact_vip: true },
    actions: { priority: 'high', tags: ['vip'] },
    continue: true,
  },
  {
    id: 'accessibility',
    name: 'Accessibility requests',
    enabled: true,
    when: {
      keywords: [
        'fauteuil roulant',
        'wheelchair',
        'Rollstuhl',
        'sedia a rotelle',
        'PMR',
        'mobilité réduite',
        'assistenza speciale',
      ],
    },
    actions: { tags: ['accessibility'] },
    continue: true,
  },
  {
    id: 'ideas',
    name: 'Ideas → Innovation',
    enabled: true,
    when: { intents: ['suggestion'] },
    actions: { team: 'innovation', priority: 'low', tags: ['idea'], assign: 'none' },
    continue: false,
  },
  {
    id: 'praise',
    name: 'Praise → Marketing',
    enabled: true,
    when: { intents: ['praise'], sentiments: ['positive'] },
    actions: { team: 'marketing', priority: 'low', assign: 'none' },
    continue: false,
  },
  {
    id: 'delays',
    name: 'Delays → Customer care',
    enabled: true,
    when: { topics: ['delay', 'cancellation'] },
    actions: { team: 'customer_care', priority: 'from_urgency', assign: 'least_loaded', reassign_after_minutes: 60 },
    continue: false,
  },
  {
    id: 'default',
    name: 'Everything else → Customer care',
    enabled: true,
    when: {},
    actions: { team: 'customer_care', priority: 'from_urgency', assign: 'least_loaded' },
    continue: false,
  },
];
