import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deliveryCandidates } from './events.ts';
import { oauth1Header, oauth1Signature } from './oauth1.ts';
import { splitForX, weightedLength } from './send.ts';
import { xSignature } from './webhook.ts';

describe('X request signing and webhook security', () => {
  it('signs as the OAuth 1.0a documentation example does', () => {
    // https://docs.x.com/resources/fundamentals/authentication/oauth-1-0a/creating-a-signature
    const signature = oauth1Signature(
      'POST',
      'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
      {
        status: 'Hello Ladies + Gentlemen, a signed OAuth request!',
        oauth_consumer_key: 'xvz1evFS4wEEPTGEFPHBog',
        oauth_nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
        oauth_signature_method: 'HMAC-SHA1',
        oauth_timestamp: '1318622958',
        oauth_token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
        oauth_version: '1.0',
      },
      {
        consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
        tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
      },
    );
    expect(signature).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
    const header = oauth1Header(
      'GET',
      'https://api.x.com/2/users/me',
      {},
      { consumerKey: 'ck', consumerSecret: 'cs', token: 't', tokenSecret: 'ts' },
      { nonce: 'n', timestamp: '1' },
    );
    expect(header).toMatch(
      /^OAuth oauth_consumer_key="ck", oauth_nonce="n", oauth_signature=".+", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1", oauth_token="t", oauth_version="1.0"$/,
    );
  });

  it('answers the CRC and signs deliveries as base64 HMAC-SHA256 of the consumer secret', () => {
    const expected = `sha256=${createHmac('sha256', 'secret').update('challenge').digest('base64')}`;
    expect(xSignature('secret', 'challenge')).toBe(expected);
  });

  it('counts characters by weight and cuts long answers into a thread of posts', () => {
    expect(weightedLength('Bonjour')).toBe(7);
    expect(weightedLength('空港')).toBe(4);
    expect(weightedLength('voir https://example.com/a/very/long/path/indeed')).toBe(5 + 23);
    const parts = splitForX(`${'Nous sommes désolés pour ce retard. '.repeat(12)}Bon voyage.`);
    expect(parts.length).toBe(2);
    expect(parts.every((p) => weightedLength(p) <= 280)).toBe(true);
    expect(parts[0]).toMatch(/ 1\/2$/);
  });

  it('leaves out the brand’s own posts and direct messages', () => {
    const account = { handle: '@AirSocial', userId: '1' };
    const own = deliveryCandidates(account, {
      for_user_id: '1',
      tweet_create_events: [{ id_str: '5', text: 'hi', user: { id_str: '1', screen_name: 'AirSocial' } }],
      direct_message_events: [
        { type: 'message_create', id: '6', message_create: { sender_id: '1', message_data: { text: 'x' } } },
      ],
    });
    expect(own).toEqual([]);
  });
});
