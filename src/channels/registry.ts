import { blueskyConnector } from './bluesky/connector.ts';
import type { AnyConnector } from './connector.ts';
import { emailConnector } from './email/connector.ts';
import { facebookConnector } from './facebook/connector.ts';
import { feedsConnector } from './feeds/connector.ts';
import { instagramConnector } from './instagram/connector.ts';
import { mastodonConnector } from './mastodon/connector.ts';
import { sandboxConnector } from './sandbox/connector.ts';
import { xConnector } from './x/connector.ts';

/** Networks Passeur can publish to, by name. A network registers here only when it is configured. */
export class ConnectorRegistry {
  private readonly connectors = new Map<string, AnyConnector>();

  register(c: AnyConnector): this {
    this.connectors.set(c.manifest.network, c);
    return this;
  }

  get(network: string): AnyConnector | undefined {
    return this.connectors.get(network);
  }

  list(): AnyConnector[] {
    return [...this.connectors.values()];
  }
}

export function defaultRegistry(): ConnectorRegistry {
  return new ConnectorRegistry()
    .register(sandboxConnector)
    .register(blueskyConnector)
    .register(emailConnector)
    .register(feedsConnector)
    .register(facebookConnector)
    .register(instagramConnector)
    .register(xConnector)
    .register(mastodonConnector);
}
