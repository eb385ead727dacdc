import { AtpAgent } from '@atproto/api';
import type { FetchLike } from './http.ts';

interface Profile {
  handle: string;
  name?: string | undefined;
}

const MAX_CACHED = 20_000;

/**
 * Handles and display names of authors met on the firehose (which only names DIDs), asked of an AppView in
 * batches of 25 and remembered. Without an AppView (a bare PDS), `describeRepo` gives the handle; failing both,
 * the DID stands in for the handle.
 */
export class ProfileResolver {
  private readonly cache = new Map<string, Profile>();
  private readonly agent: AtpAgent;

  constructor(appview: string, fetch: FetchLike) {
    this.agent = new AtpAgent({ service: appview, fetch });
  }

  async resolve(dids: readonly string[]): Promise<Map<string, Profile>> {
    const out = new Map<string, Profile>();
    const missing = [...new Set(dids)].filter((d) => {
      const hit = this.cache.get(d);
      if (hit) out.set(d, hit);
      return !hit;
    });
    for (let i = 0; i < missing.length; i += 25) {
      const batch = missing.slice(i, i + 25);
      const found = await this.fromAppView(batch);
      for (const did of batch) {
        const p = found.get(did) ?? (await this.fromRepo(did));
        // A failed look-up is not remembered: the next post of the same author tries again.
        if (p) this.remember(did, p);
        out.set(did, p ?? { handle: did });
      }
    }
    return out;
  }

  private async fromAppView(dids: string[]): Promise<Map<string, Profile>> {
    try {
      const r = await this.agent.app.bsky.actor.getProfiles({ actors: dids });
      return new Map(r.data.profiles.map((p) => [p.did, { handle: p.handle, name: p.displayName }]));
    } catch {
      return new Map();
    }
  }

  private async fromRepo(did: string): Promise<Profile | undefined> {
    try {
      const r = await this.agent.com.atproto.repo.describeRepo({ repo: did });
      return r.data.handleIsCorrect ? { handle: r.data.handle } : undefined;
    } catch {
      return undefined;
    }
  }

  private remember(did: string, p: Profile) {
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(did, p);
  }
}
