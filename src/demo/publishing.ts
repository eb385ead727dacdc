import type { PublishingDefinition } from '../domain/publishing/seed.ts';

/**
 * The demo organization's calendar: the summer sale campaign (which the volcanic-ash playbook pauses) and the
 * weekly destination photo, scheduled over the next two weeks in the AirSocial communities, plus a draft.
 */
export const AIRSOCIAL_PUBLISHING: PublishingDefinition = {
  campaigns: [
    {
      name: 'Summer sale campaign',
      description: 'Fares from CHF 49 to the Mediterranean, booked before the end of the month.',
      communities: ['airsocial-fr', 'airsocial-de', 'airsocial-it', 'airsocial-en'],
      startsInDays: 1,
      endsInDays: 14,
      owner: 'lea@airsocial.example',
    },
    {
      name: 'Weekly destination photo',
      description: 'One photo of a destination every week, in every community.',
      communities: [],
      startsInDays: 0,
      endsInDays: 60,
      owner: 'emma@airsocial.example',
    },
  ],
  posts: [
    {
      community: 'airsocial-fr',
      account: '@AirSocial',
      text: 'Les soldes d’été commencent ! Vols vers la Méditerranée dès 49 CHF, à réserver avant la fin du mois.',
      link: 'https://airsocial.example/soldes',
      inDays: 1,
      hour: 8,
      status: 'scheduled',
      campaign: 'Summer sale campaign',
      author: 'lea@airsocial.example',
    },
    {
      community: 'airsocial-de',
      account: '@AirSocial_de',
      text: 'Der Sommerschlussverkauf beginnt: Flüge ans Mittelmeer ab 49 CHF, buchbar bis Ende Monat.',
      link: 'https://airsocial.example/sale',
      inDays: 1,
      hour: 8,
      status: 'scheduled',
      campaign: 'Summer sale campaign',
      author: 'jonas@airsocial.example',
    },
    {
      community: 'airsocial-it',
      account: '@AirSocial_it',
      text: 'Al via i saldi estivi: voli verso il Mediterraneo da 49 CHF, da prenotare entro fine mese.',
      link: 'https://airsocial.example/saldi',
      inDays: 1,
      hour: 9,
      status: 'scheduled',
      campaign: 'Summer sale campaign',
      author: 'giulia@airsocial.example',
    },
    {
      community: 'airsocial-en',
      account: '@AirSocial_en',
      text: 'Our summer sale starts now: Mediterranean flights from CHF 49, book before the end of the month.',
      link: 'https://airsocial.example/sale',
      inDays: 2,
      hour: 10,
      status: 'scheduled',
      campaign: 'Summer sale campaign',
      author: 'emma@airsocial.example',
    },
    {
      community: 'airsocial-fr',
      account: '@AirSocial',
      text: 'Photo de la semaine : le port de Bastia au lever du soleil. Où partez-vous cet été ?',
      inDays: 3,
      hour: 16,
      status: 'scheduled',
      campaign: 'Weekly destination photo',
      author: 'lea@airsocial.example',
    },
    {
      community: 'airsocial-de',
      account: '@AirSocial_de',
      text: 'Foto der Woche: Lissabon von der Alfama aus. Wohin geht Ihre Reise diesen Sommer?',
      inDays: 4,
      hour: 16,
      status: 'scheduled',
      campaign: 'Weekly destination photo',
      author: 'jonas@airsocial.example',
    },
    {
      community: 'airsocial-fr',
      account: '@AirSocial',
      text: 'Dernier rappel : les soldes d’été se terminent dimanche.',
      // A draft on the day of the seeding: the calendar's current week always shows something.
      inDays: 0,
      hour: 20,
      status: 'draft',
      campaign: 'Summer sale campaign',
      author: 'lea@airsocial.example',
    },
  ],
};
