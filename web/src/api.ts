// The board's one door to duet serve (docs/api.md): every request carries the session token,
// every write the revision it was made against; an error is the server's one sentence.

const TOKEN_KEY = "duet-token";

// The token duet serve printed comes in the address (?token=...); it is kept for the tab and
// taken out of the address bar, so that a copied link or a screenshot does not carry it.
export function sessionToken(): string {
  const url = new URL(window.location.href);
  const given = url.searchParams.get("token");
  if (given) {
    sessionStorage.setItem(TOKEN_KEY, given);
    url.searchParams.delete("token");
    history.replaceState(null, "", url.pathname + url.search + url.hash);
    return given;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? "";
}

const token = sessionToken();

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface Answer<T> {
  body: T;
  etag: string;
  status: number;
}

export async function request<T>(method: string, path: string, body?: unknown, ifMatch?: string): Promise<Answer<T>> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (ifMatch) headers["If-Match"] = ifMatch;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError("duet serve does not answer; is it still running? Start it again and reload.", 0);
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(`duet serve answered ${path} with something that is not JSON (status ${res.status})`, res.status);
  }
  if (!res.ok) {
    const sentence = (parsed as { error?: string } | null)?.error ?? `${method} ${path} failed (status ${res.status})`;
    throw new ApiError(res.status === 401 ? `${sentence}. Open the address duet serve printed, with its token.` : sentence, res.status);
  }
  return { body: parsed as T, etag: res.headers.get("ETag") ?? "", status: res.status };
}

export const get = <T>(path: string) => request<T>("GET", path).then((a) => a.body);

// A project file's address (audio, MIDI, pages), with the token: media elements and links cannot
// send headers.
export function fileUrl(path: string): string {
  return `/files/${path.split("/").map(encodeURIComponent).join("/")}?token=${encodeURIComponent(token)}`;
}

export function pictureUrl(): string {
  return `/api/picture?token=${encodeURIComponent(token)}`;
}

export interface JobStatus {
  job: string;
  kind: string;
  state: "running" | "done" | "failed" | "cancelled";
  stage: string;
  fraction: number;
  result?: any;
  error?: string;
}

// Follows a job's server-sent events until it ends; resolves with its last status.
export function followJob(id: string, onProgress: (s: JobStatus) => void): Promise<JobStatus> {
  return new Promise((resolve) => {
    const source = new EventSource(`/api/jobs/${id}/events?token=${encodeURIComponent(token)}`);
    source.addEventListener("progress", (e) => onProgress(JSON.parse((e as MessageEvent).data)));
    source.addEventListener("end", (e) => {
      source.close();
      resolve(JSON.parse((e as MessageEvent).data));
    });
    source.onerror = () => {
      // The stream broke (the server stopped, or the job ended as it connected): ask once.
      source.close();
      get<JobStatus>(`/api/jobs/${id}`).then(resolve, (err: Error) =>
        resolve({ job: id, kind: "", state: "failed", stage: "", fraction: 0, error: err.message }),
      );
    };
  });
}
