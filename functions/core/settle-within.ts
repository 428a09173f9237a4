/**
 * Waits for `work` at most `ms`: true when it settled (resolved or rejected) in time, false when the
 * time ran out. The work is not cancelled; its late rejection is swallowed.
 */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = work.then(
    () => true as const,
    () => true as const,
  );
  try {
    return await Promise.race([settled, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `work`'s value if it resolves within `ms`, else (or when it rejects) `fallback`. The timer is
 * cleared either way: a pending timer would keep a CLI process alive after its work is done.
 */
export async function valueWithin<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([work.catch(() => fallback), expired]);
  } finally {
    clearTimeout(timer);
  }
}
