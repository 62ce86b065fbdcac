// Validates Kubernetes manifests against the API's OpenAPI schemas (the `kubernetes-models` package
// vendors them, with ajv validators): node deploy/validate-manifests.mjs [file.yaml …]
// (default: every deploy/k8s/*.yaml). Prints one JSON line per object, exits 1 when one is invalid.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'k8s');
const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join(dir, f));
let failed = 0;
for (const file of files) {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (doc.errors.length) {
      failed++;
      console.log(JSON.stringify({ file, error: doc.errors.map((e) => e.message).join('; ') }));
      continue;
    }
    const obj = doc.toJS();
    if (!obj) continue;
    const { apiVersion, kind } = obj;
    const where = { file, kind, name: obj.metadata?.name };
    // a kustomize file is not an API object
    if (apiVersion?.startsWith('kustomize.config.k8s.io/')) continue;
    let Model;
    try {
      Model = (await import(`kubernetes-models/${apiVersion}`))[kind];
    } catch {
      Model = undefined;
    }
    if (!Model) {
      failed++;
      console.log(JSON.stringify({ ...where, error: `unknown apiVersion/kind ${apiVersion} ${kind}` }));
      continue;
    }
    try {
      new Model(obj).validate();
      console.log(JSON.stringify({ ...where, valid: true }));
    } catch (e) {
      failed++;
      console.log(JSON.stringify({ ...where, error: e.message }));
    }
  }
}
process.exit(failed ? 1 : 0);
