// Client of the recording backends the runner starts for the untrusted pass (test/integration/recordingBackend.mjs).

/** Environment variables through which the runner passes the two backends' URLs to the extension host. */
export const REPO_BACKEND_ENV_VAR = 'SPANLENS_TEST_REPO_BACKEND';
export const USER_BACKEND_ENV_VAR = 'SPANLENS_TEST_USER_BACKEND';

const RECORDED_REQUESTS_PATH = '/__spanlens_test__/requests';

/** One request a recording backend received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
}

/** A backend the runner started: its URL and what it has received so far. */
export interface RecordingBackend {
  readonly url: string;
  requests(): Promise<RecordedRequest[]>;
}

/** The backend whose URL the runner put in environment variable `envVar`. */
export function recordingBackendFromEnvironment(envVar: string): RecordingBackend {
  const url = process.env[envVar];
  if (!url) throw new Error(`${envVar} is not set: the untrusted pass must be started by test/integration/run.mjs`);
  return {
    url,
    async requests() {
      const response = await fetch(`${url}${RECORDED_REQUESTS_PATH}`, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new Error(`recording backend ${url}: HTTP ${response.status}`);
      return (await response.json()) as RecordedRequest[];
    },
  };
}
