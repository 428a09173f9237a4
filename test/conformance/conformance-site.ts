// A small multi-page site on 127.0.0.1 for the conformance specs (test/conformance/specs/): a home page, a
// product list backed by a JSON API, a page that reports the browser's locale, time zone, viewport and colour
// scheme, a signed-in page driven by a cookie, a counter that settles, a plain page for screenshots and one for
// ARIA snapshots. Each fault breaks one thing a spec notices. GET and HEAD only.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CONFORMANCE_FAULTS = [
  /** The home page's heading reads "Conformance shop (maintenance)". */
  'home-heading',
  /** /api/products answers 500 and the product page lists nothing. */
  'products-down',
  /** The signed-in page ignores the session cookie. */
  'session-ignored',
  /** The counter stops at 3 instead of 5. */
  'counter-stuck',
  /** The visual page's banner turns red. */
  'visual-changed',
  /** The ARIA page loses its "Contact" link. */
  'aria-changed',
  /** /api/echo-headers drops the request's headers. */
  'headers-dropped',
] as const;
export type ConformanceFault = (typeof CONFORMANCE_FAULTS)[number];

export interface ConformanceSite {
  /** With a trailing slash. */
  readonly url: string;
  /** Methods and paths the site saw (at most 10,000). */
  readonly requests: readonly { readonly method: string; readonly path: string }[];
  close(): Promise<void>;
}

const PRODUCTS = [
  { id: 1, name: 'Oak desk' },
  { id: 2, name: 'Linen lamp' },
  { id: 3, name: 'Wool rug' },
];

function page(title: string, body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">${head}</head><body>
<nav aria-label="Main"><a href="/">Home</a> <a href="/products">Products</a> <a href="/about">About</a></nav>
<main>${body}</main></body></html>`;
}

function render(
  path: string,
  req: IncomingMessage,
  faults: ReadonlySet<ConformanceFault>,
): [number, string, string] {
  const html = 'text/html; charset=utf-8';
  const json = 'application/json';
  switch (path) {
    case '/':
      return [
        200,
        html,
        page(
          'Conformance shop',
          `<h1>${faults.has('home-heading') ? 'Conformance shop (maintenance)' : 'Conformance shop'}</h1>
<p data-qa="promo" data-testid="promo-legacy">Spring sale</p>
<button id="reveal" type="button">Show details</button><p id="details" hidden>Free shipping over 50</p>
<label><input type="checkbox" id="terms"> I agree</label>
<script>document.getElementById('reveal').addEventListener('click', () => {
  setTimeout(() => { document.getElementById('details').hidden = false; }, 200);
});</script>`,
        ),
      ];
    case '/about':
      return [200, html, page('About us', '<h1>About us</h1><p>We sell furniture.</p>')];
    case '/products':
      return [
        200,
        html,
        page(
          'Products',
          `<h1>Products</h1><ul id="products" aria-label="Products"></ul>
<script>fetch('/api/products').then((r) => (r.ok ? r.json() : [])).then((items) => {
  const list = document.getElementById('products');
  for (const item of items) { const li = document.createElement('li'); li.textContent = item.name; list.append(li); }
});</script>`,
        ),
      ];
    case '/api/products':
      return faults.has('products-down')
        ? [500, json, JSON.stringify({ error: 'down' })]
        : [200, json, JSON.stringify(PRODUCTS)];
    case '/api/echo-headers': {
      const headers = faults.has('headers-dropped')
        ? {}
        : Object.fromEntries(Object.entries(req.headers).filter(([name]) => name.startsWith('x-')));
      return [200, json, JSON.stringify({ headers })];
    }
    case '/browser':
      return [
        200,
        html,
        page(
          'Browser',
          `<h1>Browser</h1><noscript><p id="noscript">JavaScript is off</p></noscript><dl id="facts"></dl>
<script>
const facts = {
  language: navigator.language,
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  width: String(window.innerWidth),
  scheme: matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light',
  touch: String(navigator.maxTouchPoints > 0),
  mobile: /Mobile/.test(navigator.userAgent) ? 'mobile' : 'desktop',
  number: (1234.5).toLocaleString(),
};
const dl = document.getElementById('facts');
for (const [k, v] of Object.entries(facts)) {
  const dt = document.createElement('dt'); dt.textContent = k;
  const dd = document.createElement('dd'); dd.id = k; dd.textContent = v;
  dl.append(dt, dd);
}
</script>`,
        ),
      ];
    case '/account': {
      const signedIn =
        !faults.has('session-ignored') && /(?:^|;\s*)session=ada(?:;|$)/.test(req.headers.cookie ?? '');
      return [
        200,
        html,
        page('Account', `<h1>Account</h1><p id="who">${signedIn ? 'Signed in as Ada' : 'Signed out'}</p>`),
      ];
    }
    case '/counter':
      return [
        200,
        html,
        page(
          'Counter',
          `<h1>Counter</h1><output id="count">0</output>
<script>let n = 0; const stop = ${faults.has('counter-stuck') ? 3 : 5};
const timer = setInterval(() => { n++; document.getElementById('count').textContent = String(n); if (n >= stop) clearInterval(timer); }, 150);
window.currentCount = () => n;</script>`,
        ),
      ];
    case '/visual':
      return [
        200,
        'text/html; charset=utf-8',
        `<!doctype html><html><head><meta charset="utf-8"><title>Visual</title><style>
html, body { margin: 0; background: #ffffff; }
#banner { width: 200px; height: 60px; background: ${faults.has('visual-changed') ? '#d01010' : '#1060d0'}; }
#box { margin: 20px; width: 120px; height: 80px; background: #20a040; border: 4px solid #202020; }
</style></head><body><div id="banner"></div><div id="box"></div></body></html>`,
      ];
    case '/aria':
      return [
        200,
        html,
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Help</title></head><body>
<header><nav aria-label="Help topics"><ul>
<li><a href="/aria#orders">Orders</a></li><li><a href="/aria#returns">Returns</a></li>
${faults.has('aria-changed') ? '' : '<li><a href="/aria#contact">Contact</a></li>'}
</ul></nav></header>
<main><h1>Help centre</h1><h2>Orders</h2><p>Track an order.</p><button type="button">Search help</button></main>
</body></html>`,
      ];
    case '/up':
      return [200, 'text/plain', 'ok'];
    default:
      return [404, html, page('Not found', '<h1>Not found</h1>')];
  }
}

export async function startConformanceSite(
  options: { faults?: readonly ConformanceFault[]; port?: number } = {},
): Promise<ConformanceSite> {
  const faults = new Set(options.faults ?? []);
  const requests: { method: string; path: string }[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    if (requests.length < 10_000) requests.push({ method, path });
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { 'content-type': 'text/plain', allow: 'GET, HEAD' });
      res.end('read-only site');
      return;
    }
    const [status, type, body] = render(path, req, faults);
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
