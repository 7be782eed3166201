// @ts-check
// `horizon/module-boundaries`: apps never import apps, and no project reaches into another's
// files — only through its package entry (`@horizon/<name>`, its `src/index.ts`).
//
// Why ours and not `@nx/enforce-module-boundaries`: the newest @nx/eslint-plugin on npm (23.2.1)
// accepts nx `>= 22 <= 24` (24.0.0 at most) while the workspace has nx 24.0.6, so npm adds a
// second nx 23 beside it (172 packages); and that rule reads nx's cached project graph and
// skips itself, with a warning, whenever `eslint` runs without an nx command before it — an
// enforcement that turns itself off. This rule reads the same tags from the same place (the
// `nx.tags` of each workspace package.json) and takes the same `depConstraints` shape, so
// moving to the Nx rule later is a config change. Files outside every workspace (tools/, bench/)
// are the repository's scripts, not projects, and are not constrained.
import fs from 'node:fs';
import path from 'node:path';

/** @typedef {{ name: string, root: string, tags: string[] }} Project */

const cache = new Map();

/** Every npm workspace of the repository at `rootDir`, with its nx tags (read once per lint run). */
export function readProjects(rootDir) {
  if (!cache.has(rootDir)) cache.set(rootDir, scanProjects(rootDir));
  return cache.get(rootDir);
}

/** @param {string} rootDir @returns {Project[]} */
function scanProjects(rootDir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(rootDir, 'package.json'), 'utf8'));
  /** @type {Project[]} */
  const projects = [];
  for (const pattern of pkg.workspaces ?? []) {
    const dirs = pattern.endsWith('/*')
      ? fs
          .readdirSync(path.join(rootDir, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => path.join(pattern.slice(0, -2), d.name))
      : [pattern];
    for (const dir of dirs) {
      const file = path.join(rootDir, dir, 'package.json');
      if (!fs.existsSync(file)) continue;
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      projects.push({ name: json.name, root: path.join(rootDir, dir), tags: json.nx?.tags ?? [] });
    }
  }
  // Deepest first, so libs/integrations/github wins over a project at libs/integrations.
  return projects.sort((a, b) => b.root.length - a.root.length);
}

/** @param {Project[]} projects @param {string} file */
function projectOf(projects, file) {
  return projects.find((p) => file === p.root || file.startsWith(p.root + path.sep));
}

/**
 * The project an import specifier lands in, and whether it names a file inside it rather
 * than the package entry. Specifiers of npm packages that are not ours land nowhere.
 * @param {Project[]} projects @param {string} importer @param {string} spec
 */
export function importTarget(projects, importer, spec) {
  if (spec.startsWith('.')) {
    const project = projectOf(projects, path.resolve(path.dirname(importer), spec));
    return project && { project, deep: true };
  }
  const project = projects.find((p) => spec === p.name || spec.startsWith(p.name + '/'));
  return project && { project, deep: spec !== project.name };
}

/** @type {import('eslint').Rule.RuleModule} */
export const moduleBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'apps never import apps; projects import each other only through their entry' },
    schema: [
      {
        type: 'object',
        properties: {
          depConstraints: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                sourceTag: { type: 'string' },
                onlyDependOnLibsWithTags: { type: 'array', items: { type: 'string' } },
              },
              required: ['sourceTag', 'onlyDependOnLibsWithTags'],
              additionalProperties: false,
            },
          },
          rootDir: { type: 'string' },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      deep: '{{spec}} reaches into {{target}}\'s files: import "{{target}}" and export what you need from its src/index.ts',
      tag: '{{source}} ({{sourceTag}}) may depend only on projects tagged {{allowed}}; {{target}} is tagged {{targetTags}}',
      untagged: '{{source}} has no nx tags: add "nx": { "tags": ["type:…", "scope:…"] } to its package.json',
    },
  },
  create(context) {
    const options = context.options[0] ?? {};
    const projects = readProjects(options.rootDir ?? context.cwd);
    const constraints = options.depConstraints ?? [];
    const source = projectOf(projects, context.filename);
    if (!source) return {};

    /** @param {import('estree').Node | null | undefined} node */
    function check(node) {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
      const spec = node.value;
      const target = importTarget(projects, context.filename, spec);
      if (!target || target.project === source) return;
      if (target.deep) {
        context.report({ node, messageId: 'deep', data: { spec, target: target.project.name } });
        return;
      }
      if (!source.tags.length) {
        context.report({ node, messageId: 'untagged', data: { source: source.name } });
        return;
      }
      for (const c of constraints) {
        if (!source.tags.includes(c.sourceTag)) continue;
        if (target.project.tags.some((t) => c.onlyDependOnLibsWithTags.includes(t))) continue;
        context.report({
          node,
          messageId: 'tag',
          data: {
            source: source.name,
            sourceTag: c.sourceTag,
            allowed: c.onlyDependOnLibsWithTags.join(' or '),
            target: target.project.name,
            targetTags: target.project.tags.join(', ') || 'nothing',
          },
        });
      }
    }

    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node.arguments[0]);
      },
    };
  },
};

export default { rules: { 'module-boundaries': moduleBoundaries } };
