/**
 * A tiny read-only XML reader for AWS query-API responses (STS): elements, text, CDATA and the predefined and
 * numeric entities. Attributes, namespaces and DTDs are ignored; a DOCTYPE is skipped, never expanded.
 *
 * @module
 */

/** An element: its local name (namespace prefix dropped), child elements and its own text. */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  /** The element's direct text, entities decoded, not trimmed. */
  text: string;
}

const START_TAG = /<([A-Za-z_][\w.:-]*)(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(\/?)>/y;
const END_TAG = /<\/([A-Za-z_][\w.:-]*)\s*>/y;
const ENTITY = /&(?:#x([0-9A-Fa-f]+)|#(\d+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Parses a document and returns its root element. Throws `SyntaxError` on malformed XML. */
export function parseXml(text: string): XmlElement {
  const document: XmlElement = { name: "#document", children: [], text: "" };
  const stack: XmlElement[] = [document];
  const top = () => stack[stack.length - 1] as XmlElement;
  let index = 0;
  const skipTo = (marker: string, from: number) => {
    const end = text.indexOf(marker, from);
    if (end < 0) throw new SyntaxError(`Unterminated markup at offset ${from}`);
    return end + marker.length;
  };
  while (index < text.length) {
    const lt = text.indexOf("<", index);
    const chunk = text.slice(index, lt < 0 ? text.length : lt);
    if (chunk !== "") {
      if (stack.length === 1 && chunk.trim() !== "") throw new SyntaxError("Text outside the root element");
      top().text += decodeEntities(chunk);
    }
    if (lt < 0) break;
    if (text.startsWith("<!--", lt)) {
      index = skipTo("-->", lt + 4);
    } else if (text.startsWith("<![CDATA[", lt)) {
      index = skipTo("]]>", lt + 9);
      top().text += text.slice(lt + 9, index - 3);
    } else if (text.startsWith("<?", lt)) {
      index = skipTo("?>", lt + 2);
    } else if (text.startsWith("<!", lt)) {
      index = skipTo(">", lt + 2);
    } else if (text.startsWith("</", lt)) {
      END_TAG.lastIndex = lt;
      const match = END_TAG.exec(text);
      const open = top();
      if (!match || stack.length === 1 || localName(match[1] as string) !== open.name) {
        throw new SyntaxError(`Unexpected end tag at offset ${lt}`);
      }
      stack.pop();
      index = END_TAG.lastIndex;
    } else {
      START_TAG.lastIndex = lt;
      const match = START_TAG.exec(text);
      if (!match) throw new SyntaxError(`Malformed tag at offset ${lt}`);
      if (stack.length === 1 && document.children.length > 0) {
        throw new SyntaxError("More than one root element");
      }
      const element: XmlElement = { name: localName(match[1] as string), children: [], text: "" };
      top().children.push(element);
      if (match[2] !== "/") stack.push(element);
      index = START_TAG.lastIndex;
    }
  }
  if (stack.length > 1) throw new SyntaxError(`Unclosed element <${top().name}>`);
  const root = document.children[0];
  if (!root) throw new SyntaxError("No root element");
  return root;
}

/** Follows a path of child element names from `element`; the first match at each step. */
export function findElement(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let current = element;
  for (const name of path) current = current?.children.find((child) => child.name === name);
  return current;
}

/** The trimmed text at a path below `element`, or `undefined` when the path does not exist. */
export function textAt(element: XmlElement | undefined, ...path: string[]): string | undefined {
  return findElement(element, ...path)?.text.trim(); // spread-ok: the caller's own arguments, as many as a call takes
}

function localName(name: string): string {
  return name.slice(name.indexOf(":") + 1);
}

function decodeEntities(text: string): string {
  return text.replace(ENTITY, (entity, hexCode?: string, decimal?: string, named?: string) => {
    if (named) return NAMED[named] ?? entity;
    const code = hexCode ? parseInt(hexCode, 16) : Number(decimal);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}
