// The collector's application/json body parser: the same parse as the batch parser, errors naming the position.
import { errorCodes, type FastifyInstance } from 'fastify';
import { parseJsonBody } from '../ingest/parse-batch-body.js';

/**
 * Replaces fastify's own JSON parser, whose error says only "Body is not valid JSON but
 * content-type is set to 'application/json'": this one passes on JSON.parse's SyntaxError
 * ("Expected double-quoted property name in JSON at position 11"), which the error handler turns
 * into 400 invalid_json. Prototype keys are dropped as before (secure-json-parse, remove).
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body: string, done) => {
    if (body.length === 0) return done(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), undefined);
    try {
      done(null, parseJsonBody(body));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
