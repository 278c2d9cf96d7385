/** Bad trace input. The message says what is wrong and where, in words a user can act on. */
export class TraceParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceParseError';
  }
}
