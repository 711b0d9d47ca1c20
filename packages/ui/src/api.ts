/**
 * How a sandbox web UI calls its own server's JSON API (same origin): every failure becomes an ApiFailure carrying
 * the server's bilingual ApiError, or one made here when the server could not be reached or answered without JSON.
 */
import { bi, t, type Bilingual } from './i18n.ts';

/** The error body every sandbox JSON API answers with a 4xx/5xx status. */
export interface ApiError {
  error: string;
  message: Bilingual;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly apiError: ApiError,
  ) {
    super(apiError.message.en);
    this.name = 'ApiFailure';
  }
}

export function isApiError(value: unknown): value is ApiError {
  const v = value as ApiError | null;
  return !!v && typeof v === 'object' && typeof v.error === 'string' && !!v.message && typeof v.message.nl === 'string' && typeof v.message.en === 'string';
}

/** What a person reads for any failure: the server's own words when it gave them. */
export function failureText(e: unknown): string {
  return e instanceof ApiFailure ? bi(e.apiError.message) : t('Er ging iets mis.', 'Something went wrong.');
}

export interface CallOptions {
  /** The server's name in both languages, for the messages made here ("De PGO-server", "The console"). */
  server: Bilingual;
  /** Called on a 401 before the failure is thrown (the PGO shows its login form again). */
  onUnauthorized?: (error: ApiError | undefined) => void;
}

/** Sends, and reads the JSON answer (undefined for 204), or throws an ApiFailure. */
export async function callJson<T>(send: () => Promise<Response>, o: CallOptions): Promise<T> {
  let response: Response;
  try {
    response = await send();
  } catch {
    throw new ApiFailure(0, {
      error: 'network_error',
      message: {
        nl: `${o.server.nl} is niet bereikbaar. Draait de sandbox (npm start)?`,
        en: `${o.server.en} cannot be reached. Is the sandbox running (npm start)?`,
      },
    });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown;
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    if (response.status === 401) o.onUnauthorized?.(isApiError(data) ? data : undefined);
    throw new ApiFailure(
      response.status,
      isApiError(data)
        ? data
        : {
            error: `http_${response.status}`,
            message: {
              nl: `${o.server.nl} antwoordde met status ${response.status}.`,
              en: `${o.server.en} answered with status ${response.status}.`,
            },
          },
    );
  }
  return data as T;
}
