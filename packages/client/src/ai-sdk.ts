/**
 * The AI SDK binding: a `metadataExtractor` for `@ai-sdk/openai-compatible` that puts the `compliance`
 * extension into `providerMetadata`, and the reader that takes it back out typed. Structural types only: the
 * package does not depend on the AI SDK.
 */
import { complianceOf, mergeCompliance } from './compliance.js';
import type { Compliance } from './wire.js';

/** The `providerMetadata` key the extractor writes under. */
export const metadataKey = 'companionGuard';

/** JSON as the AI SDK's `providerMetadata` holds it. */
type JsonValue =
  | null
  | string
  | number
  | boolean
  | { readonly [key: string]: JsonValue | undefined }
  | readonly JsonValue[];
type JsonObject = { [key: string]: JsonValue | undefined };

/** What the extractor adds to `providerMetadata`: `{ companionGuard: { compliance } }`. */
type ComplianceMetadata = Record<string, JsonObject>;

/** The `MetadataExtractor` interface of `@ai-sdk/openai-compatible` (structurally). */
export interface ComplianceMetadataExtractor {
  extractMetadata(options: { parsedBody: unknown }): Promise<ComplianceMetadata | undefined>;
  createStreamExtractor(): {
    processChunk(parsedChunk: unknown): void;
    buildMetadata(): ComplianceMetadata | undefined;
  };
}

function metadataOf(c: Compliance | null): ComplianceMetadata | undefined {
  return c ? { [metadataKey]: { compliance: c as unknown as JsonObject } } : undefined;
}

/**
 * A `metadataExtractor` for `createOpenAICompatible({ …, metadataExtractor: complianceExtractor() })`: the
 * result's `providerMetadata.companionGuard.compliance` is the response's envelope, in `generateText` and
 * (when the stream finishes) in `streamText`; read it with {@link complianceFromMetadata}.
 *
 * A stream's first chunk carries the directives decided before the model answers (a crisis banner, a
 * reminder): `onCompliance` gets each envelope as its chunk arrives, before the text that follows it, so a
 * UI need not wait for the end. The metadata at the end holds all of them (see `mergeCompliance`).
 */
export function complianceExtractor(
  options: { onCompliance?: (compliance: Compliance) => void } = {},
): ComplianceMetadataExtractor {
  return {
    async extractMetadata({ parsedBody }) {
      const c = complianceOf(parsedBody);
      if (c) options.onCompliance?.(c);
      return metadataOf(c);
    },
    createStreamExtractor() {
      let merged: Compliance | null = null;
      return {
        processChunk(parsedChunk) {
          const c = complianceOf(parsedChunk);
          if (!c) return;
          options.onCompliance?.(c);
          merged = mergeCompliance(merged, c);
        },
        buildMetadata: () => metadataOf(merged),
      };
    },
  };
}

/**
 * The `compliance` envelope in an AI SDK result's `providerMetadata` (of `generateText`, or awaited from
 * `streamText`), or null when the response had none.
 *
 * @example
 * const { text, providerMetadata } = await generateText({ model, prompt });
 * const compliance = complianceFromMetadata(providerMetadata);
 */
export function complianceFromMetadata(providerMetadata: unknown): Compliance | null {
  if (typeof providerMetadata !== 'object' || providerMetadata === null) return null;
  return complianceOf((providerMetadata as Record<string, unknown>)[metadataKey]);
}
