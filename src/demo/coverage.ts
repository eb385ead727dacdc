import type { CoverageDefinition } from '../domain/coverage/seed.ts';

const INFO = 'https://www.airsocial.example/info';

const IT = {
  text: 'Grazie per il suo messaggio. Il nostro team le risponderà appena riprende il servizio. Per lo stato dei voli e le informazioni aggiornate:',
  link: `${INFO}/it`,
};
const FR = {
  text: 'Merci pour votre message. Notre équipe vous répondra dès la reprise du service. État des vols et informations à jour :',
  link: `${INFO}/fr`,
};
const DE = {
  text: 'Danke für Ihre Nachricht. Unser Team antwortet Ihnen, sobald es wieder im Dienst ist. Flugstatus und aktuelle Informationen:',
  link: `${INFO}/de`,
};
const EN = {
  text: 'Thank you for your message. Our team will answer as soon as it is back on duty. Flight status and the latest information:',
  link: `${INFO}/en`,
};

/**
 * AirSocial's coverage (journey J4): Luca backs up Giulia on the Italian desks and is on call for them; out of
 * hours, every fr/de/it desk acknowledges in the customer's language with a link to the information page.
 */
export const AIRSOCIAL_COVERAGE: CoverageDefinition = {
  backups: {
    'giulia@airsocial.example': ['luca@airsocial.example'],
    'tom@airsocial.example': ['jonas@airsocial.example'],
  },
  communities: {
    'airsocial-it': { offDutyPolicy: 'backup', autoAck: { it: IT, en: EN }, onCall: ['luca@airsocial.example'] },
    'express-it': { offDutyPolicy: 'backup', autoAck: { it: IT, en: EN }, onCall: ['luca@airsocial.example'] },
    'airsocial-fr': { offDutyPolicy: 'stay', autoAck: { fr: FR, en: EN }, onCall: ['lea@airsocial.example'] },
    'express-fr': { offDutyPolicy: 'stay', autoAck: { fr: FR, en: EN }, onCall: ['lea@airsocial.example'] },
    'airsocial-de': { offDutyPolicy: 'backup', autoAck: { de: DE, en: EN }, onCall: ['jonas@airsocial.example'] },
    'express-de': { offDutyPolicy: 'stay', autoAck: { de: DE, en: EN }, onCall: ['jonas@airsocial.example'] },
  },
};
