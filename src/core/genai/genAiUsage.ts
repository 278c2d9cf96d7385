// Model and token usage of a GenAI span, from the OpenTelemetry gen_ai.* attributes: the current names and
// the older gen_ai.usage.prompt_tokens / completion_tokens that earlier instrumentations still send.

import { smallCountOf } from '../model/smallCount';
import type { Attribute } from '../model/trace';

export interface GenAiUsage {
  /** gen_ai.response.model (what answered), else gen_ai.request.model. */
  readonly model: string | undefined;
  readonly inputTokens: number | undefined;
  readonly outputTokens: number | undefined;
}

/**
 * Collects the usage attributes of one span, offered one at a time, so that model attributes and decoded
 * protobuf attributes go through the same rules. Reusable: `result()` starts over.
 */
export class GenAiUsageReader {
  private requestModel: string | undefined;
  private responseModel: string | undefined;
  private inputTokens: number | undefined;
  private outputTokens: number | undefined;
  private legacyInputTokens: number | undefined;
  private legacyOutputTokens: number | undefined;
  private offered = false;

  /** Cheap, as it runs for every attribute of every span received. */
  static wants(key: string): boolean {
    return key.length > 7 && key.charCodeAt(6) === 46 /* . */ && key.startsWith('gen_ai');
  }

  /** `text` is the value of a string attribute, `integer` that of an int one (decimal). */
  offer(key: string, text: string | undefined, integer: string | undefined): void {
    if (!GenAiUsageReader.wants(key)) return;
    switch (key) {
      case 'gen_ai.request.model':
        this.requestModel = text === '' ? undefined : text;
        break;
      case 'gen_ai.response.model':
        this.responseModel = text === '' ? undefined : text;
        break;
      case 'gen_ai.usage.input_tokens':
        this.inputTokens = smallCountOf(integer ?? text);
        break;
      case 'gen_ai.usage.output_tokens':
        this.outputTokens = smallCountOf(integer ?? text);
        break;
      case 'gen_ai.usage.prompt_tokens':
        this.legacyInputTokens = smallCountOf(integer ?? text);
        break;
      case 'gen_ai.usage.completion_tokens':
        this.legacyOutputTokens = smallCountOf(integer ?? text);
        break;
      default:
        return;
    }
    this.offered = true;
  }

  /** Undefined for a span that carries none of the usage attributes. */
  result(): GenAiUsage | undefined {
    if (!this.offered) return undefined;
    const usage: GenAiUsage = {
      model: this.responseModel ?? this.requestModel,
      inputTokens: this.inputTokens ?? this.legacyInputTokens,
      outputTokens: this.outputTokens ?? this.legacyOutputTokens,
    };
    this.requestModel = this.responseModel = undefined;
    this.inputTokens = this.outputTokens = this.legacyInputTokens = this.legacyOutputTokens = undefined;
    this.offered = false;
    return usage.model === undefined && usage.inputTokens === undefined && usage.outputTokens === undefined ? undefined : usage;
  }
}

const reader = new GenAiUsageReader();

export function genAiUsage(attributes: readonly Attribute[]): GenAiUsage | undefined {
  for (const { key, value } of attributes) {
    if (value.type === 'string') reader.offer(key, value.value, undefined);
    else if (value.type === 'int') reader.offer(key, undefined, value.value);
  }
  return reader.result();
}
