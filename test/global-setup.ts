import chromium from '@sparticuz/chromium';

export default async function setup(): Promise<void> {
  await chromium.executablePath();
}
