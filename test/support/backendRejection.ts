import { strict as assert } from 'node:assert';
import { BackendError } from '../../src/core/backends/backendError';

/** The BackendError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<BackendError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof BackendError, `expected a BackendError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a failure');
}
