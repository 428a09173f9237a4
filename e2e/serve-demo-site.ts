// Serves the demo site on 127.0.0.1 (port from PORT, default 4173) until stopped: playwright.config.ts starts it.
import { startDemoSite } from './demo-site';

const port = Number(process.env.PORT ?? 4173);
const site = await startDemoSite({ port });
console.log(`demo site on ${site.url}`);
const stop = () => void site.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
