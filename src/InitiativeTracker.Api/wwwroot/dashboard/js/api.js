// The public JSON API, with the key the person pasted in. The key is kept in sessionStorage (this tab,
// this session) and sent as a header: the service refuses keys in URLs (QueryCredentials).

const STORAGE_KEY = 'initiative-tracker.api-key';

export const apiKey = {
  get: () => sessionStorage.getItem(STORAGE_KEY),
  set: (value) => sessionStorage.setItem(STORAGE_KEY, value),
  clear: () => sessionStorage.removeItem(STORAGE_KEY),
};

/** What went wrong, in terms a person can act on: kind is 'no-key', 'unauthorized', 'forbidden', 'offline', 'busy' or 'failed'. */
export class ApiError extends Error {
  constructor(kind, status, problem, message) {
    super(message ?? problem?.detail ?? problem?.title ?? kind);
    this.kind = kind;
    this.status = status;
    this.problem = problem;
  }
}

/** '/reports/overdue' and { page: 2, directionId: '' } → '/api/v1/reports/overdue?page=2' (empty values left out). */
export function apiUrl(path, params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value !== null && value !== undefined && value !== '') query.set(name, String(value));
  }
  const text = query.toString();
  return `/api/v1${path}${text ? `?${text}` : ''}`;
}

async function request(path, params, accept, signal) {
  const key = apiKey.get();
  if (!key) throw new ApiError('no-key', 0, null, 'No key yet.');
  let response;
  try {
    response = await fetch(apiUrl(path, params), {
      headers: { Authorization: `Bearer ${key}`, Accept: accept },
      cache: 'no-store',
      signal,
    });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError('offline', 0, null, 'The service did not answer.');
  }
  if (response.ok) return response;
  let problem = null;
  try {
    problem = await response.json();
  } catch {
    // Not a problem document (a proxy's error page): the status says enough.
  }
  const kind = response.status === 401 ? 'unauthorized'
    : response.status === 403 ? 'forbidden'
      : response.status === 429 || response.status === 503 ? 'busy'
        : 'failed';
  throw new ApiError(kind, response.status, problem);
}

export async function getJson(path, params, signal) {
  return (await request(path, params, 'application/json', signal)).json();
}

/** A report as CSV: its bytes and the file name the service suggests (Content-Disposition). */
export async function getCsv(path, params, signal) {
  const response = await request(path, { ...params, format: 'csv' }, 'text/csv', signal);
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? 'report.csv';
  return { blob: await response.blob(), name };
}

// Lookups that change rarely, fetched once per key and page load.
const cache = new Map();

export function cached(path, params) {
  const id = `${apiKey.get()} ${apiUrl(path, params)}`;
  if (!cache.has(id)) {
    const pending = getJson(path, params);
    pending.catch(() => cache.delete(id));
    cache.set(id, pending);
  }
  return cache.get(id);
}
