// Fastify adapter: an app-wide plugin that gives each request its identity cookies and Touchline context.
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { TouchlineClient } from '../../client/create-client.js';
import type { RequestInfo } from '../../client/request-info.js';
import { requestInfoFromNode } from '../http/index.js';

function requestInfoFromFastify(request: FastifyRequest, reply: FastifyReply): RequestInfo {
  return {
    ...requestInfoFromNode(request.raw, reply.raw),
    // Through reply.header: Fastify writes its own header map last and would drop raw ones.
    appendSetCookie(cookies) {
      if (reply.sent || reply.raw.headersSent) return false;
      for (const cookie of cookies) reply.header('set-cookie', cookie);
      return true;
    },
  };
}

/**
 * Fastify plugin. It skips encapsulation (as fastify-plugin would) so its hook covers every route
 * of the app, not only those registered inside it. Fastify carries the onRequest context through
 * body parsing (an AsyncResource per request), so async handlers after a body still see it.
 *
 * @example
 * const touchline = createClient({ apiKey: process.env.TOUCHLINE_KEY! });
 * const app = Fastify();
 * await app.register(touchlineFastify(touchline));
 * app.get('/', async () => {
 *   touchline.event('hello');
 *   return { ok: true };
 * });
 */
function touchlineFastify(client: TouchlineClient): FastifyPluginCallback {
  const plugin: FastifyPluginCallback = (instance, _options, done) => {
    instance.addHook('onRequest', (request, reply, next) => {
      const info = requestInfoFromFastify(request, reply);
      const scope = client.handle(info);
      info.appendSetCookie(scope.identity.setCookies);
      // Fastify's way to answer from onRequest: send, and do not call next.
      if (scope.answer !== null)
        void reply
          .code(scope.answer.status)
          .headers(scope.answer.headers)
          .send(scope.answer.body ?? undefined);
      else client.run(scope, () => next());
    });
    if (client.settings.serverless !== undefined) {
      // The platform may freeze the process once the response is sent: deliver first (bounded).
      instance.addHook('onSend', async (_request, _reply, payload) => {
        await client.deliverBeforeFreeze();
        return payload;
      });
    }
    done();
  };
  return Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'touchline',
  });
}

export { touchlineFastify };
