/**
 * What a user of the package sees in dist/index.d.ts, read with the TypeScript compiler's own
 * checker (typescript's API, run over the built declarations): every exported symbol, whether it
 * has a doc comment, and every type declared in this package that an export's declaration names
 * (parameters, return types, properties, base types, type arguments — followed transitively
 * through the types it reaches) without the package exporting it. A user cannot write
 * `import type { X } from 'agent-cos'` for such a type.
 *
 * A type computed from others is named by its result, not by its parts: the insides of mapped,
 * conditional, indexed-access and `keyof` types, and generic type aliases (type functions such as
 * `Simplify<T>`), are not followed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { API, SymbolFlags, type Symbol as TsSymbol } from 'typescript/unstable/sync';
import { SyntaxKind, type Node } from 'typescript/unstable/ast';


export interface DeclarationReport {
  /** Every name dist/index.d.ts exports (types and values). */
  exported: string[];
  /** Exported names whose declaration has no doc comment. */
  undocumented: string[];
  /** `Type (named by export, export, …)`: declared in the package, named by an export, not exported. */
  unexported: string[];
}

function openProject(api: API, tsconfig: string) {
  const project = api.updateSnapshot({ openProject: tsconfig }).getProjects()[0];
  if (!project) throw new Error(`TypeScript opened no project for ${tsconfig}`);
  return project;
}

const COMPUTED = new Set([SyntaxKind.MappedType, SyntaxKind.ConditionalType, SyntaxKind.IndexedAccessType]);
const isKeyOf = (node: Node) => node.kind === SyntaxKind.TypeOperator && (node as Node & { operator?: SyntaxKind }).operator === SyntaxKind.KeyOfKeyword;

/** A generic type alias (`type Simplify<T> = …`): a type function, named by what it computes. */
function isTypeFunction(symbol: TsSymbol, resolveNode: (symbol: TsSymbol) => Node[]): boolean {
  return (symbol.flags & SymbolFlags.TypeAlias) !== 0 && resolveNode(symbol).some((node) => ((node as Node & { typeParameters?: readonly Node[] }).typeParameters?.length ?? 0) > 0);
}

const TYPE_FLAGS = SymbolFlags.Interface | SymbolFlags.TypeAlias | SymbolFlags.Class | SymbolFlags.Enum;

/** Read `<dist>/index.d.ts` as a user's program would. */
export function readDeclarations(dist: string): DeclarationReport {
  const index = resolve(dist, 'index.d.ts');
  const work = mkdtempSync(join(tmpdir(), 'cos-dts-'));
  const tsconfig = join(work, 'tsconfig.json');
  writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, types: ['node'], typeRoots: [resolve(dist, '../node_modules/@types')] }, files: [index] }));
  const api = new API({ cwd: work });
  try {
    const project = openProject(api, tsconfig);
    const { checker, program } = project;
    const file = program.getSourceFile(index);
    if (!file) throw new Error(`${index} is not in the program`);
    const module = checker.getSymbolAtLocation(file);
    if (!module) throw new Error(`${index} is not a module`);
    const inPackage = (symbol: TsSymbol) => symbol.declarations.some((handle) => resolve(handle.path).startsWith(`${resolve(dist)}/`));
    const target = (symbol: TsSymbol): TsSymbol => ((symbol.flags & SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(symbol) : symbol);

    const nodesOf = (symbol: TsSymbol): Node[] => symbol.declarations.map((handle) => handle.resolve(project)).filter((node): node is Node => node !== undefined);
    const exports = checker.getExportsOfModule(module);
    const exportedIds = new Set<number>();
    const undocumented: string[] = [];
    for (const symbol of exports) {
      const resolved = target(symbol);
      exportedIds.add(resolved.id);
      if (checker.getDocumentationCommentOfSymbol(resolved).trim() === '') undocumented.push(symbol.name);
    }

    // Every type reference in the declarations of what is reachable: exported symbols, then the
    // package's types they name (exported or not), until nothing new is reached.
    const usedBy = new Map<number, { name: string; by: Set<string> }>();
    const seen = new Set<number>();
    let frontier: Array<{ symbol: TsSymbol; name: string }> = exports.map((symbol) => ({ symbol: target(symbol), name: symbol.name }));
    while (frontier.length > 0) {
      const names: Node[] = [];
      const owners: string[] = [];
      for (const { symbol, name } of frontier) {
        if (seen.has(symbol.id) || !inPackage(symbol)) continue;
        seen.add(symbol.id);
        for (const declaration of nodesOf(symbol)) {
          const visit = (node: Node): void => {
            if (COMPUTED.has(node.kind) || isKeyOf(node)) return;
            if (node.kind === SyntaxKind.TypeReference || node.kind === SyntaxKind.ExpressionWithTypeArguments || node.kind === SyntaxKind.TypeQuery) {
              const reference = node as Node & { typeName?: Node; expression?: Node; exprName?: Node };
              let nameNode = reference.typeName ?? reference.expression ?? reference.exprName;
              // `A.B` names B: its symbol is the right-hand side's.
              while (nameNode && (nameNode.kind === SyntaxKind.QualifiedName || nameNode.kind === SyntaxKind.PropertyAccessExpression)) nameNode = (nameNode as Node & { right?: Node; name?: Node }).right ?? (nameNode as Node & { name?: Node }).name;
              if (nameNode) {
                names.push(nameNode);
                owners.push(name);
              }
            }
            node.forEachChild(visit);
          };
          declaration.forEachChild(visit);
        }
      }
      const symbols: Array<TsSymbol | undefined> = names.length > 0 ? checker.getSymbolAtLocation(names) : [];
      const next: Array<{ symbol: TsSymbol; name: string }> = [];
      symbols.forEach((found, i) => {
        if (!found) return;
        const symbol = target(found);
        if ((symbol.flags & TYPE_FLAGS) === 0 || !inPackage(symbol) || isTypeFunction(symbol, nodesOf)) return;
        if (!exportedIds.has(symbol.id)) {
          const entry = usedBy.get(symbol.id) ?? { name: symbol.name, by: new Set<string>() };
          entry.by.add(owners[i]!);
          usedBy.set(symbol.id, entry);
        }
        if (!seen.has(symbol.id)) next.push({ symbol, name: symbol.name });
      });
      frontier = next;
    }
    const unexported = [...usedBy.values()].map(({ name, by }) => `${name} (named by ${[...by].sort().join(', ')})`).sort();
    return { exported: exports.map((symbol) => symbol.name).sort(), undocumented: undocumented.sort(), unexported };
  } finally {
    api.close();
    rmSync(work, { recursive: true, force: true });
  }
}
