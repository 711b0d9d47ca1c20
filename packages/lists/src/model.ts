/** The lists as typed objects: what a participant works with after parsing and validation. */

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
