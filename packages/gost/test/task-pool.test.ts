import { ConcurrencyLimiter, GostError, TaskPool } from '@dubbo-ts/gost';
import { describe, expect, it } from 'vitest';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('TaskPool', () => {
  it('runs every task off the caller stack with two arguments', async () => {
    const pool = new TaskPool({ queues: 2, workers: 4, queueLength: 100 });
    const seen: number[] = [];
    let inCaller = true;
    for (let i = 0; i < 150; i++) {
      pool.submit(
        (a: number, b: number) => {
          expect(inCaller).toBe(false);
          seen.push(a + b);
        },
        i,
        1000,
      );
    }
    inCaller = false;
    await pool.drain();
    expect(seen.sort((x, y) => x - y)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1000));
  });

  it('bounds async work to N workers and rejects with a typed error when every queue is full', async () => {
    const pool = new TaskPool({ queues: 2, workers: 4, queueLength: 3 });
    let running = 0;
    let maxRunning = 0;
    const task = async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(5);
      running--;
    };
    let rejected = 0;
    for (let i = 0; i < 20; i++) {
      try {
        pool.submit(task);
      } catch (err) {
        expect(err).toBeInstanceOf(GostError);
        expect((err as GostError).code).toBe('GOST_ERR_POOL_FULL');
        rejected++;
      }
    }
    // Nothing has started yet (workers start on setImmediate): 2 queues x 3 fit.
    expect(rejected).toBe(14);
    expect(pool.trySubmit(task)).toBe(false);
    await pool.drain();
    expect(maxRunning).toBeLessThanOrEqual(4);
    expect(maxRunning).toBeGreaterThan(1);
  });

  it('runs a burst of synchronous tasks through one worker per queue, and more only while others await', async () => {
    const pool = new TaskPool({ queues: 1, workers: 8, queueLength: 100 });
    let ran = 0;
    for (let i = 0; i < 50; i++) pool.submit(() => ran++);
    expect(pool.activeWorkers).toBe(1); // one scheduled worker takes them all
    await pool.drain();
    expect(ran).toBe(50);
    // A worker awaiting a task leaves the tasks behind it to another worker, up to the limit.
    const gates: (() => void)[] = [];
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      pool.submit(() => new Promise<void>((r) => gates.push(r)).then(() => order.push(`async${i}`)));
    }
    pool.submit(() => order.push('sync'));
    await sleep(20);
    expect(order).toEqual(['sync']); // ran although three tasks ahead of it are still waiting
    expect(pool.activeWorkers).toBe(3);
    for (const g of gates) g();
    await pool.drain();
    expect(order.sort()).toEqual(['async0', 'async1', 'async2', 'sync']);
    expect(pool.activeWorkers).toBe(0);
  });

  it('runs in the caller when full under caller-runs, and inline when disabled', async () => {
    const pool = new TaskPool({ queues: 1, workers: 1, queueLength: 1, whenFull: 'caller-runs' });
    const ran: string[] = [];
    pool.submit(() => ran.push('queued'));
    pool.submit(() => ran.push('caller'));
    expect(ran).toEqual(['caller']);
    await pool.drain();
    expect(ran).toEqual(['caller', 'queued']);

    const off = new TaskPool({ enabled: false });
    let v = 0;
    off.submit((a: number) => {
      v = a;
    }, 7);
    expect(v).toBe(7);
  });

  it('reports task errors and refuses work after close', async () => {
    const errors: unknown[] = [];
    const pool = new TaskPool({ onError: (e) => errors.push(e) });
    pool.submit(() => {
      throw new Error('sync');
    });
    pool.submit(async () => {
      throw new Error('async');
    });
    await pool.close();
    expect(errors).toHaveLength(2);
    expect(() => pool.submit(() => {})).toThrow(expect.objectContaining({ code: 'GOST_ERR_POOL_CLOSED' }));
  });
});

describe('ConcurrencyLimiter', () => {
  it('limits concurrency, queues FIFO, and rejects past maxQueued', async () => {
    const lim = new ConcurrencyLimiter({ concurrency: 2, maxQueued: 3 });
    let running = 0;
    let max = 0;
    const order: number[] = [];
    const job = (i: number) => async () => {
      running++;
      max = Math.max(max, running);
      await sleep(2);
      order.push(i);
      running--;
      return i * 2;
    };
    const ps = [0, 1, 2, 3, 4].map((i) => lim.run(job(i)));
    await expect(lim.run(job(5))).rejects.toMatchObject({ code: 'GOST_ERR_POOL_FULL' });
    expect(await Promise.all(ps)).toEqual([0, 2, 4, 6, 8]);
    expect(max).toBe(2);
    await expect(lim.run(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(lim.active).toBe(0);
  });
});
