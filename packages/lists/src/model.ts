/**
 * The lists as typed objects: what a participant works with after parsing and validation. The names without a
 * release are afsprakenstelsel 1.5's (release2/release1), as before; the 2.x lists that changed carry
 * `release: 'release3'`, so a writer knows the namespace from the object alone.
 */
import type { Afsprakenstelsel } from '@medmij-sandbox/network';
import type { ListKindOf } from './kinds.js';

export interface ListHeader {
  /** Publication time, ISO 8601 with timezone, as in the file. */
  tijdstempel: string;
  volgnummer: number;
}

export interface ZorgaanbiederGegevensdienst {
  gegevensdienstId: string;
  authorizationEndpointUri: string;
  tokenEndpointUri: string;
  systeemrollen: Array<{ systeemrolcode: string; resourceEndpointUri: string }>;
}

export interface Zorgaanbiederslijst extends ListHeader {
  kind: 'Zorgaanbiederslijst';
  zorgaanbieders: Array<{ zorgaanbiedernaam: string; gegevensdiensten: ZorgaanbiederGegevensdienst[] }>;
}

export interface OAuthclientlist extends ListHeader {
  kind: 'OAuthclientlist';
  oauthclients: Array<{ hostname: string; organisatienaam: string }>;
}

export interface Whitelist extends ListHeader {
  kind: 'Whitelist';
  nodes: string[];
}

export interface Gegevensdienstnamenlijst extends ListHeader {
  kind: 'Gegevensdienstnamenlijst';
  gegevensdiensten: Array<{ gegevensdienstId: string; weergavenaam: string }>;
}

export type MedMijList = Zorgaanbiederslijst | OAuthclientlist | Whitelist | Gegevensdienstnamenlijst;
export type ListOf<K extends MedMijList['kind']> = Extract<MedMijList, { kind: K }>;
/** A list's content without its header: what the stelselnode derives from the topology. */
export type ListBody<K extends MedMijList['kind']> = Omit<ListOf<K>, keyof ListHeader>;

// ---- afsprakenstelsel 2.x (SPEC §10.4) -------------------------------------------------------------

/** ZA: zorgaanbieder; BAZB: aanbieder zonder behandelrelatie; APD: aanbieder in het persoonsdomein. */
export type Aanbiedertype = 'ZA' | 'BAZB' | 'APD';
export const AANBIEDERTYPES: readonly Aanbiedertype[] = ['ZA', 'BAZB', 'APD'];

/** A release3 gegevensdienst: the release2 one, plus the subscription it may offer. */
export interface ZorgaanbiederGegevensdienstRelease3 extends ZorgaanbiederGegevensdienst {
  abonneren?: {
    /** The longest subscription the DVA grants, in days. */
    maximaleDuur: number;
    subscriptionEndpointUri: string;
  };
}

export interface Interfaceversie {
  /** The interface version the endpoints below implement, e.g. `1.4.0`. */
  interfaceversieId: string;
  gegevensdiensten: ZorgaanbiederGegevensdienstRelease3[];
}

export interface ZorgaanbiederRelease3 {
  zorgaanbiedernaam: string;
  aanbiedertype: Aanbiedertype;
  interfaceversies: Interfaceversie[];
}

export interface ZorgaanbiederslijstRelease3 extends ListHeader {
  kind: 'Zorgaanbiederslijst';
  release: 'release3';
  zorgaanbieders: ZorgaanbiederRelease3[];
}

export type IdentificerendKenmerkType = 'AGB' | 'URA' | 'OIN' | 'HRN' | 'KVK';
/** In schema order (the choice in IdentificerendKenmerk). */
export const IDENTIFICERENDKENMERK_TYPES: readonly IdentificerendKenmerkType[] = ['AGB', 'URA', 'OIN', 'HRN', 'KVK'];

/** What a PGO uses to let a person find "their" provider: identifiers, display names, interface versions. */
export interface Zorgaanbiederskoppellijst extends ListHeader {
  kind: 'Zorgaanbiederskoppellijst';
  zorgaanbieders: Array<{
    zorgaanbiedernaam: string;
    identificerendeKenmerken: Array<{ type: IdentificerendKenmerkType; value: string }>;
    gegevensdiensten: Array<{ gegevensdienstId: string; weergavenaam: string; interfaceversies: string[] }>;
  }>;
}

/** The 2.x OAuthclientlist (a sandbox-derived schema): each client with the gegevensdiensten it may use. */
export interface OAuthclientlistRelease3 extends ListHeader {
  kind: 'OAuthclientlist';
  release: 'release3';
  oauthclients: Array<{ hostname: string; organisatienaam: string; gegevensdiensten: string[] }>;
}

export type MedMijList2 = ZorgaanbiederslijstRelease3 | Zorgaanbiederskoppellijst | OAuthclientlistRelease3 | Whitelist | Gegevensdienstnamenlijst;
/** Any list of any afsprakenstelsel: what the writer takes. */
export type AnyMedMijList = MedMijList | MedMijList2;

/** The lists of one afsprakenstelsel. */
export type MedMijListOf<A extends Afsprakenstelsel> = { '1.5': MedMijList; '2': MedMijList2 }[A];
/** One list of one afsprakenstelsel: `ListIn<'2', 'Zorgaanbiederslijst'>` is a ZorgaanbiederslijstRelease3. */
export type ListIn<A extends Afsprakenstelsel, K extends ListKindOf<A>> = Extract<MedMijListOf<A>, { kind: K }>;
/** Distributes over a union, where Omit would keep only the keys all members share. */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A list's content without its header, in one afsprakenstelsel. */
export type ListBodyIn<A extends Afsprakenstelsel, K extends ListKindOf<A>> = OmitEach<ListIn<A, K>, keyof ListHeader>;
