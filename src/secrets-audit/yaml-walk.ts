import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Node,
  type Scalar,
  type YAMLMap,
} from 'yaml';

/** A YAML file's documents with a way to find any node's line. */
export interface ParsedYaml {
  documents: Node[];
  lineOf(node: Node | null | undefined): number;
}

/** Parses every document of a YAML file; undefined when it is not YAML. */
export function parseYamlFile(text: string): ParsedYaml | undefined {
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: counter });
  if (!Array.isArray(docs)) return undefined;
  if (docs.some((doc) => doc.errors.length)) return undefined;
  return {
    documents: docs.flatMap((doc) =>
      doc.contents ? [doc.contents as Node] : [],
    ),
    lineOf: (node) => (node?.range ? counter.linePos(node.range[0]).line : 1),
  };
}

export function get(map: unknown, key: string): Node | undefined {
  if (!isMap(map)) return undefined;
  const pair = (map as YAMLMap).items.find(
    (item) => isScalar(item.key) && String(item.key.value) === key,
  );
  return (pair?.value ?? undefined) as Node | undefined;
}

export function text(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = (node as Scalar).value;
  return value === null || value === undefined ? undefined : String(value);
}

/** A map's entries as [key, value node, key node]. */
export function entries(map: unknown): [string, Node | undefined, Node][] {
  if (!isMap(map)) return [];
  return (map as YAMLMap).items.flatMap((item) =>
    isScalar(item.key)
      ? [
          [
            String(item.key.value),
            (item.value ?? undefined) as Node | undefined,
            item.key as Node,
          ],
        ]
      : [],
  );
}

export function items(seq: unknown): Node[] {
  return isSeq(seq) ? (seq.items as Node[]) : [];
}

/** Whether a scalar is a block scalar (| or >): its text starts a line later. */
export function isBlockScalar(node: unknown): boolean {
  return (
    isScalar(node) &&
    ((node as Scalar).type === 'BLOCK_LITERAL' ||
      (node as Scalar).type === 'BLOCK_FOLDED')
  );
}

/** Every string scalar under a node, with its node. */
export function* strings(node: unknown): Generator<[string, Node]> {
  if (isScalar(node) && typeof node.value === 'string') {
    yield [node.value, node as Node];
  } else if (isMap(node)) {
    for (const item of node.items) yield* strings(item.value);
  } else if (isSeq(node)) {
    for (const item of node.items) yield* strings(item);
  }
}
