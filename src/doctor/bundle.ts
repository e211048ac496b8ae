/**
 * The support bundle `weep info` prints: plain text in titled sections, shipped as base64 of zlib
 * ("deflate") compressed bytes so it survives copy and paste. Netflix weep's bundles use the same encoding,
 * so `weep info --decode` reads those too.
 *
 * @module
 */

import { WeepError } from "../errors.ts";
import { outsideText } from "../platform/outside_text.ts";

/** One titled section of the bundle. */
export interface BundleSection {
  title: string;
  /** The section's text; a trailing newline is added when missing. */
  body: string;
}

/**
 * Joins sections into the bundle text: `== Title ==` headings, a blank line between sections. Each line is
 * made terminal-safe (`outsideText`): sections quote ConsoleMe (users, roles, errors).
 */
export function bundleText(sections: readonly BundleSection[]): string {
  const safe = (body: string) => body.replace(/\n$/, "").split("\n").map(outsideText).join("\n") + "\n";
  return sections.map((section) => `== ${outsideText(section.title)} ==\n${safe(section.body)}`).join("\n");
}

async function transform(
  bytes: Uint8Array,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const output = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(output).arrayBuffer());
}

/** Base64 (standard alphabet, padded) of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  // A byte a character, one at a time: a bundle may be larger than a call takes arguments.
  let binary = "";
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number);
  return btoa(binary);
}

/** Compresses `text` (zlib) and encodes it as base64, without a newline. */
export async function encodeBundle(text: string): Promise<string> {
  return toBase64(await transform(new TextEncoder().encode(text), new CompressionStream("deflate")));
}

/**
 * Decodes a bundle from {@linkcode encodeBundle} (or Netflix weep's `weep info`). Whitespace and line breaks
 * anywhere in the blob are ignored, so wrapped copies from mail or chat work.
 */
export async function decodeBundle(blob: string): Promise<string> {
  const compact = blob.replace(/\s+/g, "");
  if (!compact) {
    throw new WeepError("The support bundle is empty", { hints: ["Pass the text `weep info` printed"] });
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new WeepError("Cannot decode the support bundle: it is not base64 text", {
      hints: ["Pass the text `weep info` printed, e.g. weep info | weep info --decode"],
    });
  }
  const padded = compact.padEnd(Math.ceil(compact.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(
      await transform(bytes, new DecompressionStream("deflate")),
    );
  } catch (error) {
    throw new WeepError("Cannot decode the support bundle: it is not zlib-compressed text from weep info", {
      hints: ["Check that the whole bundle was copied"],
      cause: error,
    });
  }
}
