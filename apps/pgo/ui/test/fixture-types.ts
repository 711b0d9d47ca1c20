/** What ui/test/global-setup.ts provides to the browser tests (inject('fixtures')). */
import type { Collection } from '@medmij-sandbox/pgo-api';

export interface UiFixtures {
  /** Basisgegevens Zorg of an elderly patient with polypharmacy (many medicines, an alert, a directive). */
  bgz: Collection;
  /** The display name of that patient, as the generator made it. */
  bgzPatient: string;
  /** That patient's BSN: what the DVZA knows, and masks in what it serves (the UI must never show it). */
  bgzBsn: string;
  /** Vital signs (gegevensdienst 5) of the diabetes persona: years of blood pressure, weight, heart rate. */
  vitals: Collection;
  /** Basisgegevens Zorg of the persona with several allergies. */
  allergies: Collection;
}

declare module 'vitest' {
  export interface ProvidedContext {
    fixtures: UiFixtures;
  }
}
