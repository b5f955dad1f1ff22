/** An error a request caused: answered with its HTTP status and `{"error": message}`. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}
