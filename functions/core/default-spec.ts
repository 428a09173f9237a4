// The production smoke lane, read-only: what every app is sealed with unless its configuration says otherwise.
import { type Spec, SpecSchema } from './spec';

export const defaultSpec: Spec = SpecSchema.parse({
  checks: [
    { kind: 'page', name: 'home', path: '/', landmark: { role: 'heading' } },
    { kind: 'page', name: 'sign-in', path: '/sign_in', landmark: { form: 'sign-in' } },
    { kind: 'page', name: 'tasks', path: '/tasks', landmark: { role: 'list' } },
    { kind: 'status', name: 'up', path: '/up', status: 200 },
    { kind: 'status', name: 'devops', path: '/devops', status: 404 },
    { kind: 'status', name: 'devops-cycle', path: '/devops/cycle', status: 404 },
  ],
  checkTimeoutMs: 15_000,
  concurrency: 4,
  retries: 1,
});
