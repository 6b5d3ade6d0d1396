import { expect } from 'vitest';

/** GETs `/api/PATH` from the dashboard at `base`, expects 200 and returns the parsed body. */
export async function apiJson<T>(base: string, path: string): Promise<T> {
  const res = await fetch(`${base}/api/${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}
