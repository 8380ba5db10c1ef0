// The load balancers over ten providers against `random` (the default), one reference per balancer of one client,
// all ten providers served by one child process (so the providers' CPU is the same for every balancer): the ratio
// is what choosing costs (and what a balancer's pick pattern costs the providers' event loop), per call.
// Echo (a 200-byte string) and getUser(i): consistenthash hashes the first argument (Java's `hash.arguments` 0),
// so echo sends every call to one provider and getUser spreads them.
import { alternate, interleave, pairedLine } from '../rounds.mjs';
import { ECHO_PAYLOAD, EchoDescriptor, UserServiceDescriptor } from './services.mjs';

/** The balancers measured, each against `random`: every one Java and dubbo-go name that we build in. */
export const BALANCERS = ['roundrobin', 'leastactive', 'shortestresponse', 'consistenthash', 'p2c', 'adaptive'];

/**
 * Measures `calls` at `levels` in flight through each balancer and `random` over `ports` (ten providers).
 * Rounds rotate the order of the variants; each ratio is the median of the rounds' ratios to random
 * (tools/bench/rounds.mjs), so a round that another job on the machine slowed does not decide it.
 * @param drive (call, inflight, ms, wantLatency) => {rps, p50, p99}
 * @param line (case, ours, anchor, anchorValue, unit) => void
 * @param options.settle (label) => Promise: waits for an idle machine before a case
 */
export async function balancersVsRandom(client, ports, drive, line, { quick, levels, calls, settle }) {
  const ms = quick ? 120 : 400; // many short rounds: their median ratio is robust on a noisy host
  const rounds = quick ? 3 : 13;
  const url = ports.map((p) => `127.0.0.1:${p}`).join(';');
  const refs = new Map();
  for (const lb of ['random', ...BALANCERS]) {
    const users = client.reference(UserServiceDescriptor, { url, loadbalance: lb });
    const echo = client.reference(EchoDescriptor, { url, loadbalance: lb });
    refs.set(lb, { echo: () => echo.echo(ECHO_PAYLOAD), getUser: (i) => users.getUser(i) });
  }
  const names = [...refs.keys()];
  // Warm-up: every balancer, every call (JIT, and the connections to all ten providers).
  for (const call of calls) for (const lb of names) await drive(refs.get(lb)[call], 32, quick ? 100 : 400, false);
  for (const call of calls) {
    for (const inflight of levels) {
      const lat = inflight === 1;
      await settle(`${call}-1x${inflight} (balancers)`);
      // Latency with the balancers alternated call by call (see alternate in ../rounds.mjs).
      const res = lat
        ? await alternate(
            names.map((lb) => [lb, refs.get(lb)[call]]),
            rounds,
            ms * names.length,
          )
        : await interleave(
            names.map((lb) => [lb, () => drive(refs.get(lb)[call], inflight, ms, lat)]),
            rounds,
          );
      const random = res.get('random');
      for (const lb of BALANCERS) {
        const xs = res.get(lb);
        if (lat) pairedLine(line, `${call}-1x1-p50-10p-${lb}`, xs, 'random', random, 'p50', 'us');
        else pairedLine(line, `${call}-1x${inflight}-10p-${lb}`, xs, 'random', random, 'rps', 'req/s');
      }
    }
  }
}
