/** Where the reference PGO serves what is not JSON: its redirect_uri. */
export const PGO_PATHS = {
  /** The redirect_uri (SPEC §2.1): the DVZA sends the browser back here with a code or an error, and the state. */
  callback: '/oauth/callback',
} as const;

/** Where the PGO sends the browser after the callback: the collection's page in its web UI. */
export function collectionPage(collectionId: string): string {
  return `/#/collection/${collectionId}`;
}

/** The collection a PGO page URL (or redirect Location) shows, if any. */
export function collectionIdIn(url: string): string | undefined {
  return /#\/collection\/([0-9a-f]+)/.exec(url)?.[1];
}
