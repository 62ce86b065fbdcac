import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate, type OperationDefinitionNode } from 'graphql';

const ROOT = join(__dirname, '..', '..');

/** The README's examples are code a newcomer pastes: they must stay valid against the published schema. */
describe('the README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const schema = buildSchema(readFileSync(join(ROOT, 'schema', 'api.graphql'), 'utf8'));

  it('shows a graphql-ws client whose live-events subscription validates against schema/api.graphql', () => {
    const section = readme.slice(readme.indexOf('### Live events'));
    const snippet = section.match(/```js\n([\s\S]*?)```/)?.[1];
    expect(snippet).toBeDefined();
    expect(snippet).toContain("from 'graphql-ws'");
    expect(snippet).toContain("from 'ws'");
    const documents = [...snippet!.matchAll(/\/\* GraphQL \*\/ `([^`]*)`/g)].map((m) => m[1]);
    expect(documents).toHaveLength(1);
    const doc = parse(documents[0]);
    expect(validate(schema, doc)).toEqual([]);
    const op = doc.definitions[0] as OperationDefinitionNode;
    expect(op.operation).toBe('subscription');
    // the variables the snippet passes are the ones the document declares
    const declared = op.variableDefinitions!.map((v) => v.variable.name.value);
    const passed = snippet!
      .match(/variables:\s*\{([^}]*)\}/)![1]
      .match(/(\w+)\s*:/g)!
      .map((k) => k.replace(/\s*:$/, ''));
    expect(passed).toEqual(declared);
  });
});
