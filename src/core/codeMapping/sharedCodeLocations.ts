// One location object per distinct code location. The statistics look locations up by object first, so the
// samples of one location should carry one object, however many records their rows came from.

import { CodeLocationMap } from './codeLocationMap';
import type { SpanCodeLocation } from './spanCodeLocation';

/** Locations kept before the oldest are dropped (a dropped one is made again when next seen). */
const MAX_SHARED_LOCATIONS = 50_000;

export class SharedCodeLocations {
  private readonly known = new CodeLocationMap<SpanCodeLocation>();

  /** The object held for a location equal to `location` in every field; `location` itself when it is new. */
  of(location: SpanCodeLocation): SpanCodeLocation {
    const known = this.known.get(location);
    if (known !== undefined) return known;
    if (this.known.size >= MAX_SHARED_LOCATIONS) this.known.deleteOldest();
    this.known.set(location, location);
    return location;
  }
}
