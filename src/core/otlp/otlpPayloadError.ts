/** A request body the receiver cannot take: `malformed` is answered 400, `tooLarge` 413. */
export class OtlpPayloadError extends Error {
  constructor(
    readonly kind: 'malformed' | 'tooLarge',
    message: string,
  ) {
    super(message);
    this.name = 'OtlpPayloadError';
  }
}
