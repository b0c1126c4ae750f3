// The official JavaScript client (@kubernetes/client-node, pinned in package-lock.json) against the emulator.
// Usage: node client.mjs KUBECONFIG. Prints "started" once its informer has synced, then waits for a line on stdin
// (the test restarts the server with its history forgotten meanwhile), then prints one JSON line of what it saw.
import * as k8s from '@kubernetes/client-node';
import * as readline from 'node:readline';

const kc = new k8s.KubeConfig();
kc.loadFromFile(process.argv[2]);
const api = kc.makeApiClient(k8s.CoreV1Api);
const namespace = 'default';
const result = { errors: [] };
const body = (name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });

await api.createNamespacedConfigMap({ namespace, body: body('dry'), dryRun: 'All' });
try {
  await api.readNamespacedConfigMap({ name: 'dry', namespace });
  result.dryRunCreated = true;
} catch (e) {
  result.dryRunCreated = e.code !== 404;
}

const seen = new Set();
const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${namespace}/configmaps`, () => api.listNamespacedConfigMap({ namespace }));
informer.on('add', (o) => seen.add(o.metadata.name));
informer.on('error', (e) => {
  result.errors.push(String(e?.message ?? e));
  setTimeout(() => informer.start().catch(() => {}), 200); // as client-node's README advises
});
const timer = setTimeout(() => { console.log(JSON.stringify({ ...result, startHung: true })); process.exit(2); }, 20000);
await informer.start(); // hangs for ever if a quiet watch sends no headers
clearTimeout(timer);
await api.createNamespacedConfigMap({ namespace, body: body('before') });
console.log('started');

const lines = readline.createInterface({ input: process.stdin });
await new Promise((resolve) => lines.once('line', resolve));
const deadline = Date.now() + 20000;
while (!seen.has('after') && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 100));
}

const events = await api.listNamespacedEvent({ namespace, fieldSelector: 'type=Warning' });
result.warnings = events.items.map((e) => e.metadata.name);
result.seen = [...seen].sort();
console.log(JSON.stringify(result));
await informer.stop();
process.exit(0);
