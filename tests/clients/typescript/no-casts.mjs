// Fails when check.ts reads the generated types with an escape hatch instead of through them: a cast
// (`x as T`, `<T>x`), a non-null assertion (`x!`), `any`, or a comment that silences the checker.
// `@ts-expect-error` is allowed: check.ts uses it to assert that the types refuse a value.
import { readFileSync } from "node:fs";
import ts from "typescript";

const file = process.argv[2] ?? "check.ts";
const text = readFileSync(file, "utf8");
const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
const found = [];

const forbidden = new Map([
  [ts.SyntaxKind.AsExpression, "a cast (as)"],
  [ts.SyntaxKind.TypeAssertionExpression, "a cast (<T>)"],
  [ts.SyntaxKind.NonNullExpression, "a non-null assertion (!)"],
  [ts.SyntaxKind.AnyKeyword, "the type any"],
]);

// `as const` only narrows a literal; it asserts nothing about a response.
const isAsConst = (node) =>
  ts.isAsExpression(node) && ts.isTypeReferenceNode(node.type) && node.type.typeName.getText(source) === "const";

function visit(node) {
  const what = forbidden.get(node.kind);
  if (what !== undefined && !isAsConst(node)) {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push(`${file}(${line + 1},${character + 1}): ${what}: ${node.getText(source)}`);
  }
  ts.forEachChild(node, visit);
}
visit(source);

text.split("\n").forEach((line, index) => {
  if (/@ts-(ignore|nocheck)/.test(line)) {
    found.push(`${file}(${index + 1}): a comment that silences the checker: ${line.trim()}`);
  }
});

if (found.length > 0) {
  console.error(found.join("\n"));
  process.exit(1);
}
console.log(`${file}: no casts, non-null assertions, any or silenced checks`);
