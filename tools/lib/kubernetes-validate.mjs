// Validates Kubernetes resources against the API's own schemas, as kubernetes-models generates
// them from the Kubernetes OpenAPI document (a kind it does not know is an error too). Used by
// tools/kubernetes.spec.ts, which runs it as a child process: kubernetes-models ships ES modules
// only. `node tools/lib/kubernetes-validate.mjs FILE.yaml` prints `[{ resource, error }]` as JSON.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** The errors of each resource that does not validate; `[]` when all do. */
export async function validateResources(resources) {
  const errors = [];
  for (const resource of resources) {
    const name = `${resource.apiVersion} ${resource.kind} ${resource.metadata?.namespace ?? ''}/${resource.metadata?.name}`;
    let models;
    try {
      models = await import(`kubernetes-models/${resource.apiVersion}`);
    } catch {
      errors.push({ resource: name, error: `unknown apiVersion ${resource.apiVersion}` });
      continue;
    }
    const Model = models[resource.kind];
    if (!Model) {
      errors.push({ resource: name, error: `unknown kind ${resource.kind} in ${resource.apiVersion}` });
      continue;
    }
    try {
      new Model(resource).validate();
    } catch (err) {
      errors.push({ resource: name, error: err.message });
    }
  }
  return errors;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const docs = parseAllDocuments(fs.readFileSync(process.argv[2], 'utf8')).map((d) => d.toJSON());
  validateResources(docs.filter(Boolean)).then((errors) => {
    process.stdout.write(JSON.stringify({ count: docs.length, errors }) + '\n');
  });
}
