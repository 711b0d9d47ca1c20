/**
 * The lists as the reference PGO reads them, in either afsprakenstelsel. In 2 the Zorgaanbiederslijst is release3:
 * a zorgaanbieder's gegevensdiensten sit under Interfaceversies; a PGO uses the interface version it implements
 * (2.x), so the PGO sees one endpoint set per gegevensdienst, as in 1.5. The Zorgaanbiederskoppellijst beside it
 * gives each zorgaanbieder's AGB (and URA …), by which a person can find "their" provider.
 */
import type { Afsprakenstelsel } from '@medmij-sandbox/network';
import { listKindsOf, type AnyListKind, type ListConsumer, type ListKind, type ListOf, type ListState, type Zorgaanbiederslijst } from '@medmij-sandbox/lists';
import type { NoticedConsumer } from '@medmij-sandbox/stelselnode-client';

/** The lists a PGO reads (kinds of 1.5, the Zorgaanbiederslijst flattened to one interface version in 2). */
export interface PgoLists {
  readonly afsprakenstelsel: Afsprakenstelsel;
  current<K extends ListKind>(kind: K): ListOf<K> | undefined;
  require<K extends ListKind>(kind: K, traceId?: string): ListOf<K>;
  /** AGB code and other identifying marks of a zorgaanbieder (afsprakenstelsel 2: the Zorgaanbiederskoppellijst). */
  identifiersOf(zorgaanbiedernaam: string): { type: string; value: string }[];
  refresh(kinds?: readonly ListKind[]): Promise<unknown>;
  /** The lists this PGO reads (its afsprakenstelsel's). */
  readonly kinds: readonly AnyListKind[];
  /** The stelselnode announced these lists (the notice): fetch and check them; resolves once decided. */
  noticed: NoticedConsumer['noticed'];
  states(): ListState<AnyListKind>[];
  startPolling(everyMs: number): void;
  stopPolling(): void;
}

/** The interface versions of 2.x this PGO implements (its requests are the 2.0.0 interfaces: SPEC §10). */
const SUPPORTED_INTERFACEVERSIE = /^2\./;

export function pgoLists(consumer: ListConsumer<'1.5'> | ListConsumer<'2'>): PgoLists {
  if (consumer.afsprakenstelsel === '1.5') {
    const c = consumer as ListConsumer<'1.5'>;
    return {
      afsprakenstelsel: '1.5',
      current: (kind) => c.current(kind),
      require: (kind, traceId) => c.require(kind, traceId),
      identifiersOf: () => [],
      refresh: (kinds) => c.refresh(kinds),
      kinds: listKindsOf('1.5'),
      noticed: (by, lists, traceId) => c.noticed(by, lists, traceId),
      states: () => c.states(),
      startPolling: (ms) => c.startPolling(ms),
      stopPolling: () => c.stopPolling(),
    };
  }
  const c = consumer as ListConsumer<'2'>;
  const flatten = (zal: NonNullable<ReturnType<ListConsumer<'2'>['current']>> & { kind: 'Zorgaanbiederslijst' }): Zorgaanbiederslijst => ({
    kind: 'Zorgaanbiederslijst',
    volgnummer: zal.volgnummer,
    tijdstempel: zal.tijdstempel,
    zorgaanbieders: zal.zorgaanbieders.map((z) => ({
      zorgaanbiedernaam: z.zorgaanbiedernaam,
      gegevensdiensten: z.interfaceversies.filter((v) => SUPPORTED_INTERFACEVERSIE.test(v.interfaceversieId)).flatMap((v) => v.gegevensdiensten),
    })),
  });
  const view = <K extends ListKind>(kind: K, list: unknown): ListOf<K> =>
    (kind === 'Zorgaanbiederslijst' ? flatten(list as Parameters<typeof flatten>[0]) : list) as ListOf<K>;
  // The Koppellijst travels with the Zorgaanbiederslijst: a refresh of one fetches both.
  const withKoppellijst = (kinds?: readonly ListKind[]) =>
    kinds && kinds.includes('Zorgaanbiederslijst') ? [...kinds, 'Zorgaanbiederskoppellijst' as const] : kinds;
  return {
    afsprakenstelsel: '2',
    current: (kind) => {
      const list = c.current(kind);
      return list === undefined ? undefined : view(kind, list);
    },
    require: (kind, traceId) => view(kind, c.require(kind, traceId)),
    identifiersOf: (zorgaanbiedernaam) =>
      c.current('Zorgaanbiederskoppellijst')?.zorgaanbieders.find((z) => z.zorgaanbiedernaam === zorgaanbiedernaam)?.identificerendeKenmerken ?? [],
    refresh: (kinds) => c.refresh(withKoppellijst(kinds)),
    kinds: listKindsOf('2'),
    noticed: (by, lists, traceId) => c.noticed(by, lists, traceId),
    states: () => c.states(),
    startPolling: (ms) => c.startPolling(ms),
    stopPolling: () => c.stopPolling(),
  };
}
