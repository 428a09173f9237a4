// Serves the conformance site on 127.0.0.1 until stopped (PORT, default 4190; FAULTS=a,b for injected faults):
// `npx tsx test/conformance/serve-conformance-site.ts`, then `npx playwright test -c test/conformance/specs/<case>`.
import { CONFORMANCE_FAULTS, type ConformanceFault, startConformanceSite } from './conformance-site';

const faults = (process.env.FAULTS ?? '').split(',').filter(Boolean);
const unknown = faults.filter((fault) => !CONFORMANCE_FAULTS.includes(fault as ConformanceFault));
if (unknown.length > 0) {
  console.error(`FAULTS: unknown ${unknown.join(', ')}; known: ${CONFORMANCE_FAULTS.join(', ')}`);
  process.exit(2);
}
const site = await startConformanceSite({
  port: Number(process.env.PORT ?? 4190),
  faults: faults as ConformanceFault[],
});
console.log(`conformance site on ${site.url}`);
const stop = () => void site.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
